"""Executes one notebook in place with the tslab kernel, from the notebook's folder.

Why not `jupyter nbconvert --execute`: its preprocessor numbers cells only from the kernel's
iopub messages, and tslab sends no execute_input, so every prompt stayed `In [ ]:` and the
committed notebooks looked never run. nbclient's own loop numbers each executed code cell.
Usage: execute-notebook.py NOTEBOOK.ipynb TIMEOUT_SECONDS
"""
import os
import sys

import nbformat
from nbclient import NotebookClient

path, timeout = sys.argv[1], int(sys.argv[2])
nb = nbformat.read(path, as_version=4)
client = NotebookClient(
    nb,
    kernel_name="tslab",
    timeout=timeout,
    resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
)
try:
    client.execute()
finally:
    # Written even when a cell failed, so the error can be read in the notebook.
    nbformat.write(nb, path)
