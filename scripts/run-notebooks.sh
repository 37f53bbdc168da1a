#!/usr/bin/env bash
# Executes every notebook in notebooks/ with the tslab kernel, in place (outputs are committed),
# and fails if any cell produced an error. Usage: scripts/run-notebooks.sh [notebook.ipynb ...]
#   NOTEBOOK_TIMEOUT  seconds per cell (default 900: a guard against a hung cell, not a speed check; the
#                     tuning cell of 02 took 310 s beside one mutation run and passed 300 s beside two)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

# Jupyter from Debian's packages (the pyenv python on PATH is not used: /usr/bin/python3 is).
need=()
command -v jupyter-nbconvert >/dev/null || need+=(jupyter-nbconvert)
/usr/bin/python3 -c 'import nbclient' 2>/dev/null || need+=(python3-nbclient)
/usr/bin/python3 -c 'import ipykernel' 2>/dev/null || need+=(python3-ipykernel)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 "${need[@]}"
fi

# The notebooks import 'tunelab' as a user would: the package's self-reference resolves to dist/.
npm run build --silent

# tslab type-checks cells with node10 resolution: notebooks/node_modules/tunelab links the repo
# root (npm install's "prepare" makes it too; see scripts/link-notebooks.mjs).
node scripts/link-notebooks.mjs

# Register the tslab kernel in a prefix inside the repo (no change to the machine's Jupyter),
# pointing at this repo's tslab binary so the kernel does not depend on PATH.
KERNEL_PREFIX="$ROOT/.jupyter"
npx tslab install --python=/usr/bin/python3 --binary="$ROOT/node_modules/.bin/tslab" --prefix="$KERNEL_PREFIX" >/dev/null
export JUPYTER_PATH="$KERNEL_PREFIX/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"

if [ $# -gt 0 ]; then notebooks=("$@"); else notebooks=(notebooks/*.ipynb); fi
failed=0
for nb in "${notebooks[@]}"; do
  echo "executing $nb"
  start=$(date +%s)
  # Run from the notebook's folder, as Jupyter would when a user opens it.
  if ! /usr/bin/python3 scripts/execute-notebook.py "$nb" "${NOTEBOOK_TIMEOUT:-900}"; then
    echo "FAILED: $nb did not run to the end" >&2
    failed=1
    continue
  fi
  # tslab reports a failing cell as stderr text or an error output; both count as failure.
  if ! /usr/bin/python3 scripts/check-notebook.py "$nb"; then failed=1; fi
  echo "$nb: $(( $(date +%s) - start )) s"
done
exit $failed
