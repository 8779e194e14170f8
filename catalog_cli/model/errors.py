"""The one exception readers raise: an input that cannot be read at all."""

from __future__ import annotations


class CatalogInputError(Exception):
    """An input file that cannot be read; the command cannot go on with it."""

    def __init__(
        self, file: str, message: str, sheet: str | None = None, *, not_catalog: bool = False
    ) -> None:
        self.file = file
        self.sheet = sheet
        self.message = message
        self.not_catalog = (
            not_catalog  # readable, but holds no catalog (no header, not catalog JSON)
        )
        super().__init__(self.line())

    def __reduce__(self) -> tuple:  # type: ignore[type-arg]
        return _rebuild, (self.file, self.message, self.sheet, self.not_catalog)

    def line(self) -> str:
        """One line in Chinese naming the file (and sheet)."""
        where = f"{self.file}" + (f"，工作表“{self.sheet}”" if self.sheet else "")
        return f"{where}：{self.message}" if where else self.message


def _rebuild(file: str, message: str, sheet: str | None, not_catalog: bool) -> CatalogInputError:
    """Unpickle an error raised in a worker process."""
    return CatalogInputError(file, message, sheet, not_catalog=not_catalog)
