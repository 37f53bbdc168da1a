"""Fails (exit 1) when an executed notebook holds an error output or stderr text, naming the cell."""
import json
import sys

bad = 0
for path in sys.argv[1:]:
    nb = json.load(open(path))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        for out in cell.get("outputs", []):
            if out["output_type"] == "error" or (out["output_type"] == "stream" and out.get("name") == "stderr"):
                text = out.get("text") or "\n".join(out.get("traceback", []))
                if isinstance(text, list):
                    text = "".join(text)
                print(f"{path}: cell {i} has an error output:\n{text[:2000]}", file=sys.stderr)
                bad += 1
sys.exit(1 if bad else 0)
