"""How findings read to a person: the Chinese names of the severities."""

from __future__ import annotations

SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}
