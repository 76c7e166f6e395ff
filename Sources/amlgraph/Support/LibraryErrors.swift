import AMLWorkbench
import DeltaLake
import Parquet

extension ParquetError: UserFacingError {}
extension DeltaError: UserFacingError {}
extension TableIOError: UserFacingError {}
