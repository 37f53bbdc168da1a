#!/usr/bin/env bash
# Debian packages the tests use for real: Optuna as the reference implementation (journal
# interop, pruner and importance cross-checks), psycopg2 for Optuna-on-PostgreSQL interop,
# Jupyter + ipykernel to execute the notebooks with the tslab kernel, pandas as the streaming
# benchmark's reference, python3-cmaes (the `cmaes` package Optuna's CmaEsSampler uses) as the CMA-ES
# reference, and PostgreSQL itself where the machine lacks it.
set -euo pipefail
packages=(python3-optuna python3-scipy python3-psycopg2 python3-sklearn python3-pandas jupyter-nbconvert python3-nbclient python3-ipykernel python3-cmaes)
missing=()
command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
