#!/usr/bin/python3
"""Executes pairlab's notebooks headless through the real tslab kernel and checks their outputs.

Usage: /usr/bin/python3 scripts/run-notebooks.py [notebook.ipynb ...]   (default: notebooks/*.ipynb)

For each notebook it:
  * fails if the committed file holds outputs or execution counts (notebooks are committed clean);
  * runs every cell with kernel "pairlab" (this checkout's, written by scripts/kernel.mjs to
    test-artifacts/jupyter and put first on JUPYTER_PATH), cwd = the notebook's folder,
    PAIRLAB_SOURCE=demo unless already set; stops at the first error output (tslab#19: after an error,
    later cells come back empty, so nothing after it would be meaningful);
  * checks optional expectations in metadata.pairlab:
      expect_mime: MIME types that must appear in at least one output,
      min_plotly_outputs: minimum number of outputs carrying application/vnd.plotly.v1+json,
      timeout_s: per-cell timeout (default 180);
  * saves the executed notebook to test-artifacts/executed/<name>.ipynb.
Prints one "ok"/"FAIL" line per notebook and a final "N passed, N failed" line; exit 1 on any failure.
"""
import glob
import os
import shutil
import subprocess
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLOTLY_MIME = "application/vnd.plotly.v1+json"


def committed_outputs(nb):
    """Names the first cell that was committed with outputs or an execution count, or None."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count") is not None):
            return f"cell {index} was committed with outputs/execution_count (strip them before committing)"
    return None


def error_outputs(nb):
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"cell {index}: {output.get('ename')}: {output.get('evalue')}"
    return None


def mime_counts(nb):
    counts = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for mime in output.get("data", {}) or {}:
                counts[mime] = counts.get(mime, 0) + 1
    return counts


def run_one(path):
    name = os.path.basename(path)
    nb = nbformat.read(path, as_version=4)
    problem = committed_outputs(nb)
    if problem:
        return problem
    expectations = nb.metadata.get("pairlab", {})
    client = NotebookClient(
        nb,
        kernel_name="pairlab",
        timeout=int(expectations.get("timeout_s", 180)),
        allow_errors=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
    )
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        save(nb, name)
        return f"execution failed: {str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__}\n{error}"
    except Exception as error:  # the kernel did not start or answer (e.g. "Kernel didn't respond in 60 seconds")
        save(nb, name)
        return f"kernel failed: {type(error).__name__}: {error}"
    save(nb, name)
    problem = error_outputs(nb)
    if problem:
        return problem
    counts = mime_counts(nb)
    for mime in expectations.get("expect_mime", []):
        if counts.get(mime, 0) == 0:
            return f"no output carries MIME type {mime}"
    wanted = int(expectations.get("min_plotly_outputs", 0))
    if counts.get(PLOTLY_MIME, 0) < wanted:
        return f"{counts.get(PLOTLY_MIME, 0)} Plotly outputs, expected at least {wanted}"
    return None


def save(nb, name):
    folder = os.path.join(ROOT, "test-artifacts", "executed")
    os.makedirs(folder, exist_ok=True)
    nbformat.write(nb, os.path.join(folder, name))


def use_checkout_kernel():
    """Registers this checkout's kernelspec in test-artifacts/jupyter and puts it first on JUPYTER_PATH."""
    data_dir = os.path.join(ROOT, "test-artifacts", "jupyter")
    node = os.environ.get("npm_node_execpath") or shutil.which("node") or "node"
    subprocess.run([node, os.path.join(ROOT, "scripts", "kernel.mjs"), "--data-dir", data_dir], check=True, stdout=subprocess.DEVNULL)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(p for p in [data_dir, os.environ.get("JUPYTER_PATH", "")] if p)


def main(argv):
    os.environ.setdefault("PAIRLAB_SOURCE", "demo")
    # A scripted run records (the default) into a throwaway archive, never into the project's data/.
    if not os.environ.get("PAIRLAB_ARCHIVE"):
        import tempfile
        os.environ["PAIRLAB_ARCHIVE"] = "file:" + os.path.join(tempfile.mkdtemp(prefix="pairlab-notebooks-"), "pairlab.sqlite")
    use_checkout_kernel()
    paths = argv or sorted(glob.glob(os.path.join(ROOT, "notebooks", "*.ipynb")))
    if not paths:
        print("FAIL no notebooks found in notebooks/")
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    for path in paths:
        started = time.time()
        problem = run_one(path)
        took = time.time() - started
        if problem:
            failed += 1
            print(f"FAIL notebook {os.path.relpath(path, ROOT)} ({took:.1f} s): {problem}", flush=True)
        else:
            passed += 1
            print(f"ok   notebook {os.path.relpath(path, ROOT)} ({took:.1f} s)", flush=True)
    print(f"notebooks: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
