import ArgumentParser
import PersonaKit

struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "List the changes made to the configuration, newest last.",
    discussion: "Each change: its number, time, command and summary, and the files it wrote (dramatis diff N, undo N).")
  @OptionGroup var global: GlobalOptions
  @Flag(help: "Print JSON.") var json = false

  func run() throws {
    try reporting {
      let paths = try global.workspace().paths
      let entries = History.entries(paths)
      if json {
        Output.json(
          .array(
            entries.map { e in
              .object([
                ("number", .number(Double(e.number))), ("time", .string(e.time)), ("command", .string(e.command)),
                ("summary", .string(e.summary)), ("files", .array(e.files.map { .string($0.path) })),
              ])
            }))
        return
      }
      if entries.isEmpty {
        Output.print("no changes recorded yet")
        return
      }
      for e in entries {
        let files = e.files.map { $0.path.split(separator: "/").suffix(2).joined(separator: "/") }
        Output.print("\(e.number)  \(e.time)  \(e.summary)  [\(e.command)]  \(files.joined(separator: ", "))")
      }
    }
  }
}

struct Undo: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "undo",
    abstract: "Restore the files as they were before a change (default: the last one).",
    discussion:
      "The undo is a change of its own (in the history). Refused when a file changed since in a way it would overwrite."
  )
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The change's number (dramatis history).") var number: Int?

  func run() throws {
    try reporting {
      let paths = try global.workspace().paths
      guard let n = number ?? History.entries(paths).last?.number else {
        throw CLIError("no changes recorded yet: nothing to undo")
      }
      let entry = try History.undo(n, paths: paths)
      Output.print("undid change \(n): \(entry.summary)")
    }
  }
}

struct Diff: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "diff", abstract: "Show what a change did, line by line (- before, + after).")
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The change's number (dramatis history).") var number: Int

  func run() throws {
    try reporting {
      let paths = try global.workspace().paths
      guard let entry = History.entry(number, paths) else {
        throw CLIError("no change number \(number) in the history (dramatis history lists them)")
      }
      Output.print("change \(entry.number)  \(entry.time)  \(entry.summary)")
      Output.print(History.diff(entry).joined(separator: "\n"))
    }
  }
}
