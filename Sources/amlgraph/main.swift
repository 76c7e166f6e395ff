// Entry point: maps outcomes to the exit-code contract.
//   0 success, 1 user error (bad input, bad arguments) with a one-line message,
//   2 internal failure.
import ArgumentParser
import Columnar
#if canImport(Glibc)
import Glibc
#endif

setvbuf(stdout, nil, _IOFBF, 1 << 16)
do {
    var command = try AMLGraphCommand.parseAsRoot()
    try command.run()
    fflush(stdout)
    exit(0)
} catch {
    fflush(stdout)
    exit(ExitReporting.report(error))
}
