"""Fails (exit 1) when an executed notebook holds an error output or stderr text, or a code cell
without an execution count (on GitHub it would look never run), naming the cell."""
import json
import sys

bad = 0
for path in sys.argv[1:]:
    nb = json.load(open(path))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        if "".join(cell.get("source", "")).strip() and not isinstance(cell.get("execution_count"), int):
            print(f"{path}: cell {i} has no execution count (was it executed?)", file=sys.stderr)
            bad += 1
        for out in cell.get("outputs", []):
            if out["output_type"] == "error" or (out["output_type"] == "stream" and out.get("name") == "stderr"):
                text = out.get("text") or "\n".join(out.get("traceback", []))
                if isinstance(text, list):
                    text = "".join(text)
                print(f"{path}: cell {i} has an error output:\n{text[:2000]}", file=sys.stderr)
                bad += 1
sys.exit(1 if bad else 0)
