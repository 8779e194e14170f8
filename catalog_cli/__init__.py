"""catalog-cli: normalize, validate and report on 政务服务事项目录 (service-item catalogs)."""

__version__ = "0.1.0"
