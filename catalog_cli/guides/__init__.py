"""Guides: results and catalog records turned into the parts of a document (办事指南).

This layer sits above the analyses and below the reports. It reads only its own data in
``templates/``; it opens no input or output file: its functions take plain data and return
layouts, text or bytes that a caller writes.
"""
