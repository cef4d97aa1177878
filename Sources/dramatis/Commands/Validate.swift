import ArgumentParser
import PersonaKit

struct Validate: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check every file and every reference.",
    discussion:
      "Prints file:line:col: message for each problem; exits 1 when there is an error (warnings alone exit 0).")
  @OptionGroup var global: GlobalOptions
  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    try reporting {
      let ws = try global.workspace()
      let diagnostics = Validator.validate(ws)
      let errors = diagnostics.filter { $0.severity == .error }.count
      let warnings = diagnostics.count - errors
      if json {
        Output.json(
          .object([
            ("ok", .bool(errors == 0)), ("errors", .number(Double(errors))), ("warnings", .number(Double(warnings))),
            (
              "diagnostics",
              .array(
                diagnostics.map {
                  .object([
                    ("file", .string($0.file)), ("line", .optional($0.line)), ("column", .optional($0.column)),
                    ("severity", .string($0.severity.rawValue)), ("subject", .string($0.subject)),
                    ("message", .string($0.message)),
                  ])
                })
            ),
          ]))
      } else {
        for d in diagnostics { Output.print(d.description) }
        let dirs = [ws.paths.global.path] + (ws.paths.project.map { [$0.path] } ?? [])
        Output.note(
          "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s") in \(dirs.joined(separator: " and "))"
        )
      }
      if errors > 0 { throw ExitCode(1) }
    }
  }
}
