"""Readers and writers of annotation file formats, one module per format."""
