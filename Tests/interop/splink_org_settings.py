"""The Splink 5 settings both Splink interop tests train and score with: organisation dedupe
on datasets/small/dedupe.csv (JW name and Levenshtein address with TF, exact country, amount
within 1 and 100), blocked on (country, amount), name, and an address prefix."""


def org_settings():
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only", unique_id_column_name="record_id",
        blocking_rules_to_generate_predictions=[block_on("country", "amount"), "l.org_name = r.org_name",
                                                "substr(l.address,1,6)=substr(r.address,1,6)"],
        comparisons=[cl.JaroWinklerAtThresholds("org_name").configure(term_frequency_adjustments=True),
                     cl.LevenshteinAtThresholds("address", [1, 3]).configure(term_frequency_adjustments=True),
                     cl.ExactMatch("country"),
                     cl.CustomComparison(comparison_levels=[cll.NullLevel("amount"), cll.ExactMatchLevel("amount"),
                                                            cll.AbsoluteDifferenceLevel("amount", 1),
                                                            cll.AbsoluteDifferenceLevel("amount", 100), cll.ElseLevel()],
                                         output_column_name="amount")])
