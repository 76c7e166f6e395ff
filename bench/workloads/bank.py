"""The bank world (`amlgraph generate --world bank`): legitimate traffic full of look-alikes
(payroll, merchants, rent, friends paying back, suppliers), KYC scores and planted instances of
every typology; the size issue 13 measured (50,000 accounts, 1.42M payments). Shared by the
`pipeline` workload's bank size and the `typologies` workload."""
import shutil
import subprocess
from pathlib import Path

from harness import HERE

BANK_SEED = 1
BANK_SIZES = {"bank 50k/1.4M": dict(world="bank", entities=50_000, transactions=1_420_000)}
SMALL_BANK = {"bank 5k/150k": dict(world="bank", entities=5_000, transactions=150_000)}   # --quick


def bank_files(params):
    """{data: folder of entities.csv, transactions.csv and truth_pattern*.csv,
    transactions: its transactions.csv}, generated once per size (seed 1, the generator's default
    365 days) by `amlgraph generate --world bank` (params["bin"], default the release build) into
    bench/data/ (or params["dir"]). The folder appears only once complete."""
    base = Path(params.get("dir", HERE / "data"))
    folder = base / f"bank_{params['entities']}_{params['transactions']}_seed{BANK_SEED}"
    if not folder.exists():
        binary = params.get("bin", str(HERE.parent / ".build" / "release" / "amlgraph"))
        partial = folder.with_name(folder.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        subprocess.run([binary, "generate", "--world", "bank", "--entities", str(params["entities"]), "--transactions",
                        str(params["transactions"]), "--seed", str(BANK_SEED), "--out", str(partial), "--quiet"], check=True)
        partial.rename(folder)
    return dict(data=folder, transactions=folder / "transactions.csv")
