"""The typology detectors are configured from the pipeline config like every other scenario:
`scenarios.typologies` and one section per detector, snake-case keys, strict at every depth.
The gold `typologies` table read back with deltalake shows the settings took effect."""
from deltalake import DeltaTable

from conftest import ROOT

SMALL = ROOT / "datasets" / "small"


def config(tmp_path, scenarios):
    text = f"""inputs:
  transactions: {{path: {SMALL / 'transactions.csv'}}}
  entities: {{path: {SMALL / 'entities.csv'}}}
scenarios:
{scenarios}
"""
    path = tmp_path / "bank.yaml"
    path.write_text(text)
    return path


def typologies(lake):
    t = DeltaTable(str(lake / "gold" / "typologies")).to_pyarrow_table()
    return t.column("typology").to_pylist()


def test_defaults_and_settings_reach_the_detectors(amlgraph, tmp_path):
    lake = tmp_path / "lake"
    amlgraph("pipeline", "--config", config(tmp_path, "  typologies: {subsume_share: 0.5}"), "--lake", lake, "--quiet")
    everything = typologies(lake)
    assert len(set(everything)) >= 3, everything
    only = tmp_path / "only"
    amlgraph("pipeline", "--config", config(tmp_path, "  typologies: {enabled: [cycle, fan_in]}"), "--lake", only, "--quiet")
    assert set(typologies(only)) <= {"cycle", "fan_in"}
    assert typologies(only).count("cycle") == everything.count("cycle")
    # A fan needs at least 50 counterparties: none in this data.
    strict = tmp_path / "strict"
    amlgraph("pipeline", "--config", config(tmp_path, "  fan_in: {min_counterparties: 50, max_counterparties: 60}"), "--lake", strict, "--quiet")
    assert "fan_in" not in typologies(strict)
    assert typologies(strict).count("cycle") == everything.count("cycle")


def test_nested_typos_and_bad_ranges_name_the_key(amlgraph, tmp_path):
    cases = [
        ("  fan_in: {min_counterpartis: 3}", "did you mean 'scenarios.fan_in.min_counterparties'"),
        ("  stack: {layer: {min_originatorz: 2}}", "did you mean 'layer.min_originators'"),
        ("  cycle: {max_length: 12}", "cycle.min_length...max_length"),
        ("  fan_out: {window_hours: -1}", "fan_out.window_hours"),
        ("  typologies: {enabled: [cycles]}", "unknown typology 'cycles'"),
    ]
    for scenarios, expected in cases:
        proc = amlgraph("pipeline", "--config", config(tmp_path, scenarios), "--lake", tmp_path / "never", "--quiet", check=False)
        assert proc.returncode == 1, (scenarios, proc.stderr)
        assert expected in proc.stderr, (scenarios, proc.stderr)
        assert "bank.yaml:" in proc.stderr
        assert not (tmp_path / "never" / "gold").exists()
