"""Analyses: figures computed from catalogs already read, as plain result objects.

An analysis never opens a file and never imports ``catalog_cli.read`` or ``catalog_cli.write``;
its sentences, tables and JSON shape are built in ``catalog_cli.report``.
"""
