import ArgumentParser
import FoundationEssentials
import PersonaKit

/// `dramatis sync`: the agent tools' files of sync.toml's targets, written from the personas.
struct SyncCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sync",
    abstract: "Write the agent tools' files that sync.toml lists, from the personas.",
    discussion: """
      sync.toml (in the config dir and in the project dir) lists [[targets]]: format, dir, and optionally \\
      personas and name_style (docs/interop.md). A file whose bytes changed since dramatis wrote it is not \\
      overwritten: the sync stops (exit 1) naming each; --pull reads those edits into the personas, --force \\
      overwrites them. Files of personas deleted, renamed or left out are removed (only those dramatis wrote). \\
      Exit codes: 0 done (or, with --check, nothing to do), 1 a file edited by hand or (--check) any file to write.
      """)
  @OptionGroup var global: GlobalOptions
  @Flag(help: "Write nothing; exit 1 when any target file is missing, stale, edited or to remove (for CI).")
  var check = false
  @Flag(name: .customLong("dry-run"), help: "Say what would be written and removed; write nothing.") var dryRun = false
  @Flag(help: "Read the edits of files changed by hand into their personas, then write every target.") var pull = false
  @Flag(help: "Overwrite files changed by hand (and remove edited files of personas gone).") var force = false
  @Flag(help: "Print the plan or the outcome as JSON.") var json = false

  func run() throws {
    try reporting {
      let ws = try global.workspace()
      var manager = PersonaManager(ws)
      let paths = ws.paths
      let targets = try AgentSync.targets(paths)
      if targets.isEmpty {
        throw CLIError(
          "no targets: write [[targets]] (format, dir) in \(paths.global.appendingPathComponent(AgentSync.fileName).path)"
            + (paths.project.map { " or \($0.appendingPathComponent(AgentSync.fileName).path)" } ?? ""))
      }
      let table = InteropTable.load(configDir: paths.global)
      for p in table.problems { Output.note("interop.toml: \(p)") }
      var items = try AgentSync.plan(targets, config: manager.config, table: table, state: AgentSync.state(paths))

      if pull && !check && !dryRun {
        // Edited files of personas that exist: read back into them (the rules of import), then
        // plan again from the changed personas.
        let edited = items.filter { $0.status == .edited && manager.config.personas.contains($0.persona) }
        var personas: [Persona] = []
        var presets: [ToolPreset] = []
        for item in edited {
          guard let text = try? String(contentsOfFile: item.path, encoding: .utf8) else {
            throw CLIError("\(item.path): cannot read the file")
          }
          let pulled = try AgentSync.pull(text, of: item, config: manager.config, table: table)
          for l in pulled.losses { Output.noteLine(l.description) }
          personas.append(pulled.persona)
          if let p = pulled.toolPreset { presets.append(p) }
        }
        if !personas.isEmpty {
          // Each into the scope it is defined in.
          for scope in Scope.allCases {
            let here = personas.filter { manager.scopeOf(.persona, $0.name) == scope }
            if here.isEmpty { continue }
            let theirPresets = presets.filter { p in here.contains { $0.toolPresetID == p.name } }
            try manager.importPersonas(here, toolPresets: theirPresets, scope: scope, replace: true)
          }
          Output.print(
            "pulled \(personas.count) file(s) into \(personas.map { TerminalSafe.quoted($0.name) }.joined(separator: ", "))"
          )
          items = try AgentSync.plan(targets, config: manager.config, table: table, state: AgentSync.state(paths))
        }
      }

      let todo = items.filter { $0.status != .current }
      if check || dryRun {
        if json {
          Output.json(
            .array(
              items.map {
                .object([
                  ("path", .string($0.path)), ("persona", .string($0.persona)), ("status", .string($0.status.rawValue)),
                ])
              }))
        } else {
          for item in todo { Output.print("\(label(item.status))  \(item.path)  (\(item.persona))") }
          Output.note(
            todo.isEmpty
              ? "\(items.count) file(s) current"
              : "\(todo.count) of \(items.count) file(s) to change" + (dryRun ? " (--dry-run: nothing written)" : ""))
        }
        if check && !todo.isEmpty { throw ExitCode(1) }
        return
      }
      let outcome = try AgentSync.apply(items, paths: paths, force: force)
      if json {
        Output.json(
          .object([
            ("written", .array(outcome.written.map { .string($0) })),
            ("removed", .array(outcome.removed.map { .string($0) })),
          ]))
        return
      }
      for p in outcome.written { Output.print("wrote    \(p)") }
      for p in outcome.removed { Output.print("removed  \(p)") }
      for item in items where item.file != nil {
        for l in item.file!.losses where item.status != .current { Output.noteLine(l.description) }
      }
      Output.note(
        "\(items.count - outcome.removed.count) file(s) in \(targets.count) target(s); wrote \(outcome.written.count), removed \(outcome.removed.count)"
      )
    }
  }

  func label(_ s: AgentSync.Status) -> String {
    switch s {
    case .current: return "current "
    case .new: return "new     "
    case .stale: return "stale   "
    case .edited: return "edited  "
    case .orphan: return "remove  "
    case .editedOrphan: return "edited, persona gone"
    }
  }
}
