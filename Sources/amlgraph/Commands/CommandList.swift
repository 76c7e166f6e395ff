import ArgumentParser

/// Every subcommand, in the order `--help` lists them. Add new commands here.
let commandList: [ParsableCommand.Type] = [
    ComponentsCommand.self,
    SyntheticIDsCommand.self,
    RiskCommand.self,
    GenerateCommand.self,
    AnomalyCommand.self,
]
