import ArgumentParser

/// Every subcommand, in the order `--help` lists them. Add new commands here.
let commandList: [ParsableCommand.Type] = [
    ComponentsCommand.self,
    SyntheticIDsCommand.self,
    RiskCommand.self,
    AddressFlagsCommand.self,
    AlertsCommand.self,
    ReportCommand.self,
    GenerateCommand.self,
    MotifCommand.self,
    StructuringCommand.self,
    RoundTripsCommand.self,
    TypologiesCommand.self,
    ConvertCommand.self,
    PipelineCommand.self,
    ConfigCommand.self,
    DeltaCommand.self,
    SelectCommand.self,
    PregelCommand.self,
    AlgoCommand.self,
    AnomalyCommand.self,
    EvaluateCommand.self,
    ResolveCommand.self,
    SparkSQLCommand.self,
]
