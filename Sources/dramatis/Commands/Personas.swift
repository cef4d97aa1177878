import ArgumentParser
import FoundationEssentials
import PersonaKit

struct Personas: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "personas",
    abstract: "List, show, create, delete, rename, duplicate, export and import personas.",
    subcommands: [
      List.self, Show.self, Create.self, Delete.self, Rename.self, Duplicate.self, Export.self, Import.self,
    ]
  )

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the personas of both scopes.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      try reporting {
        let manager = PersonaManager(try global.workspace())
        let config = manager.config
        let users = manager.allReferences(.persona)
        if json {
          Output.json(
            .array(
              config.personas.entries.map {
                PersonaJSON.object($0.value, scope: $0.scope, usedBy: users[$0.value.name] ?? [])
              }))
          return
        }
        if config.personas.count == 0 {
          Output.print("no personas (create one with: dramatis personas create NAME)")
          return
        }
        var table = TextTable(header: ["NAME", "SCOPE", "MODEL", "TOOL PRESET", "BIAS PROFILE", "USED BY"])
        for e in config.personas.entries {
          let p = e.value
          let used = (users[p.name] ?? []).map(\.place)
          table.rows.append(
            [
              TerminalSafe.escape(p.name), e.scope.rawValue + (e.shadowsGlobal ? "*" : ""),
              TerminalSafe.escape(PersonaJSON.modelText(p.preferredModels.first)),
              TerminalSafe.escape(p.toolPresetID ?? "-"), TerminalSafe.escape(p.biasProfileID ?? "-"),
              used.isEmpty ? "-" : used.joined(separator: ", "),
            ])
        }
        Output.print(table.render())
        if config.personas.entries.contains(where: \.shadowsGlobal) {
          Output.print("* a project persona that replaces a global one of the same name")
        }
      }
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one persona and who uses it.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The persona's name.") var name: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
      try reporting {
        let manager = PersonaManager(try global.workspace())
        guard let entry = manager.config.personas.scoped(name) else { throw manager.notFound(.persona, name) }
        let p = entry.value
        let users = manager.references(.persona, name)
        if json {
          Output.json(PersonaJSON.object(p, scope: entry.scope, usedBy: users))
          return
        }
        var lines = [
          "\(p.name)  (\(entry.scope.rawValue)\(entry.shadowsGlobal ? ", replaces a global persona" : ""))"
        ]
        if !p.description.isEmpty { lines.append("  description:           \(p.description)") }
        lines.append("  system prompt preset:  \(p.systemPromptPresetID ?? "-")")
        lines.append("  tool preset:           \(p.toolPresetID ?? "-")")
        lines.append("  bias profile:          \(p.biasProfileID ?? "-")")
        lines.append("  preferred models:")
        if p.preferredModels.isEmpty { lines.append("    (none)") }
        for (i, m) in p.preferredModels.enumerated() {
          var s = "    \(i)  \(m.provider ?? "?")/\(m.model ?? "?")"
          if let t = m.temperature { s += "  temperature \(TOMLWriter.formatFloat(t))" }
          if let t = m.topP { s += "  top_p \(TOMLWriter.formatFloat(t))" }
          if let n = m.maxOutputTokens { s += "  max_output_tokens \(n)" }
          lines.append(s)
        }
        if !p.tierAssignments.isEmpty {
          lines.append("  tier assignments:")
          for a in p.tierAssignments {
            lines.append("    \(a.tierKey)  \(JSONWriter.write(JSONValue(.table(a.settings.table)), pretty: false))")
          }
        }
        if let sp = p.systemPrompt, !sp.isEmpty {
          lines.append("  system prompt:")
          lines += sp.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        }
        lines.append("  used by:               " + (users.isEmpty ? "-" : users.map(\.place).joined(separator: ", ")))
        Output.print(lines.joined(separator: "\n"))
      }
    }
  }

  struct Create: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "create",
      abstract: "Create a persona.",
      discussion: """
        The model options give preferred_models[0]. The presets, tool presets and bias profiles it names must exist; \
        nothing invalid is saved.
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The new persona's name.") var name: String
    @Option(help: "A description.") var description: String?
    @Option(help: "The provider of the primary model (default: the provider that lists --model).")
    var provider: String?
    @Option(help: "The primary model.") var model: String?
    // (`.unconditional`: a negative number is the option's value, for the rules to refuse with a
    // message about the value, not taken for an unknown option.)
    @Option(parsing: .unconditional, help: "Temperature of the primary model.") var temperature: Double?
    @Option(name: .customLong("top-p"), parsing: .unconditional, help: "top_p of the primary model.") var topP: Double?
    @Option(
      name: .customLong("max-output-tokens"), parsing: .unconditional, help: "max_output_tokens of the primary model.")
    var maxOutputTokens: Int?
    @Option(help: "The system prompt preset.") var preset: String?
    @Option(name: .customLong("system-prompt"), help: "The persona's own system prompt.") var systemPrompt: String?
    @Option(name: .customLong("tool-preset"), help: "The tool preset.") var toolPreset: String?
    @Option(name: .customLong("bias-profile"), help: "The bias profile.") var biasProfile: String?
    @Option(help: "global or project.") var scope: Scope = .global
    @Flag(help: "Print the new persona as JSON.") var json = false

    func run() throws {
      try reporting {
        var manager = PersonaManager(try global.workspace())
        var p = Persona(
          name: name, description: description ?? "", systemPromptPresetID: preset, systemPrompt: systemPrompt,
          toolPresetID: toolPreset, biasProfileID: biasProfile)
        let m = ModelSettings(
          provider: provider ?? model.flatMap { manager.config.provider(serving: $0, current: nil) }, model: model,
          temperature: temperature, topP: topP, maxOutputTokens: maxOutputTokens)
        if !m.isEmpty { p.preferredModels = [m] }
        try manager.create(p, .persona, scope: scope)
        if json {
          Output.json(PersonaJSON.object(p, scope: scope))
        } else {
          Output.print(
            "created persona \(TerminalSafe.quoted(name)) in \(manager.workspace.url(.file(.personas, scope))!.path)")
        }
      }
    }
  }

  struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "delete",
      abstract: "Delete a persona.",
      discussion: """
        Refused while the persona is in use (tiers, tracks, tickets, AI settings); --force deletes it and clears \
        those references, listing each.
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The persona's name.") var name: String
    @Flag(help: "Delete even when in use, clearing the references.") var force = false

    func run() throws {
      try reporting {
        var manager = PersonaManager(try global.workspace())
        let cleared = try manager.delete(.persona, name, force: force)
        Output.print("deleted persona \(TerminalSafe.quoted(name))")
        for r in cleared { Output.print("  cleared reference: \(r.place)") }
      }
    }
  }

  struct Rename: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rename",
      abstract: "Rename a persona and update every reference to it.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The current name.") var old: String
    @Argument(help: "The new name.") var new: String

    func run() throws {
      try reporting {
        var manager = PersonaManager(try global.workspace())
        let updated = try manager.rename(.persona, old, to: new)
        Output.print("renamed persona \(TerminalSafe.quoted(old)) to \(TerminalSafe.quoted(new))")
        for r in updated { Output.print("  updated reference: \(r.place)") }
      }
    }
  }

  struct Duplicate: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "duplicate", abstract: "Copy a persona under a new name.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The persona to copy.") var name: String
    @Argument(help: "The new name (default: \"NAME (copy)\").") var new: String?

    func run() throws {
      try reporting {
        var manager = PersonaManager(try global.workspace())
        let created = try manager.duplicate(.persona, name, as: new)
        Output.print("duplicated persona \(TerminalSafe.quoted(name)) as \(TerminalSafe.quoted(created))")
      }
    }
  }

  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "export",
      abstract:
        "Print personas (all, or the named ones) as TOML, or as JSON with --json; or write them as an agent tool's files.",
      discussion: """
        With --format claude-code|opencode|codex|gemini|copilot: one agent file per persona, in that tool's \
        layout, into --out (default: the tool's project folder under the current directory: .claude/agents, \
        .opencode/agent, .codex/agents, .gemini/agents, .github/agents). Every field the tool cannot hold is \
        reported on stderr, per persona and field (--json: the report as data on stdout). A file there with \
        other bytes is not overwritten without --force. docs/interop.md has each format's mapping.
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Personas to export (default: all).") var names: [String] = []
    @Flag(help: "Print JSON (with --format: the files written and what each dropped).") var json = false
    @Option(name: [.short, .long], help: "Write to this file instead of standard output.") var output: String?
    @Option(help: "An agent tool's format: \(AgentFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: AgentFormat?
    @Option(help: "With --format: the folder to write the agent files into.") var out: String?
    @Option(name: .customLong("name-style"), help: "With --format: slug (security-reviewer) or name (as it is).")
    var nameStyle: AgentFormat.NameStyle?
    @Flag(help: "With --format: overwrite files that hold other bytes.") var force = false

    func run() throws {
      try reporting {
        let manager = PersonaManager(try global.workspace())
        let config = manager.config
        var selected: [Persona] = []
        for n in names {
          guard let p = config.personas[n] else { throw manager.notFound(.persona, n) }
          selected.append(p)
        }
        if names.isEmpty { selected = config.personas.values }
        if let format {
          try exportAgents(selected, format, manager)
          return
        }
        let text = PersonaTransfer.export(selected, json: json)
        if let output {
          let url = URL(fileURLWithPath: output)
          let previous = try? Data(contentsOf: url)
          do {
            try AtomicFile.write(Data(text.utf8), to: url, previous: previous)
          } catch {
            throw CLIError("\(error)")
          }
          Output.note("exported \(selected.count) persona(s) to \(output)")
        } else {
          // The TOML and JSON writers escape every control character inside strings.
          Swift.print(text, terminator: "")
        }
      }
    }

    func exportAgents(_ personas: [Persona], _ format: AgentFormat, _ manager: PersonaManager) throws {
      let table = InteropTable.load(configDir: manager.workspace.paths.global)
      for p in table.problems { Output.note("interop.toml: \(p)") }
      let files = try AgentExport.files(
        personas, as: format, config: manager.config, table: table, nameStyle: nameStyle)
      let dir = URL(fileURLWithPath: out ?? format.projectDir)
      let written = try AgentExport.write(files, into: dir, force: force)
      let losses = files.flatMap(\.losses)
      if json {
        Output.json(
          .object([
            ("format", .string(format.rawValue)), ("dir", .string(dir.path)),
            (
              "files",
              .array(
                files.map { f in
                  .object([
                    ("persona", .string(f.persona)), ("path", .string(dir.appendingPathComponent(f.fileName).path)),
                    ("written", .bool(written.contains(dir.appendingPathComponent(f.fileName).path))),
                    ("dropped", .array(f.losses.map(\.json))),
                  ])
                })
            ),
          ]))
      } else {
        for l in losses { Output.noteLine(l.description) }
        Output.note(
          "wrote \(written.count) of \(files.count) \(format.label) agent file(s) in \(dir.path)"
            + (written.count < files.count ? " (the others were already current)" : "")
            + (losses.isEmpty ? "" : "; \(losses.count) field(s) the format cannot hold, listed above"))
      }
    }
  }

  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Import personas from a TOML or JSON file (as written by export), or from agent tools' files.",
      discussion: """
        Every persona goes through the rules of create. Nothing is written when any is refused: each refused \
        persona is listed with why. A name that exists is refused unless --replace.

        Agent files (--format claude-code|opencode|codex|gemini|copilot, or a path whose place says it: \
        .claude/agents, .opencode/agent, .codex/agents, .gemini/agents, .github/agents, *.agent.md): each file, or \
        every agent file of a folder, becomes a persona; a tool preset is made for tools no preset grants. \
        What has no place is reported on stderr; fields Dramatis does not use are kept for the export back.
        """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The file (- for standard input), or agent files and folders.") var paths: [String]
    @Option(help: "The agent tool's format of the paths.") var format: AgentFormat?
    @Option(help: "global or project.") var scope: Scope = .global
    @Flag(help: "Replace personas of the same name in that scope.") var replace = false
    @Flag(name: .customLong("dry-run"), help: "Check everything and say what would be imported; write nothing.")
    var dryRun = false

    func run() throws {
      try reporting {
        if format != nil || paths.contains(where: { AgentFormat.inferred(from: absolute($0)) != nil }) {
          try importAgents()
          return
        }
        guard paths.count == 1 else {
          throw CLIError("a TOML or JSON export is one file; several paths are agent files: say --format")
        }
        let file = paths[0]
        let data: Data
        if file == "-" {
          data = Data(Descriptor.readAll(0))
        } else {
          guard let d = FileManager.default.contents(atPath: file) else {
            throw CLIError("\(file): cannot read the file")
          }
          data = d
        }
        var ws = try global.workspace()
        ws.rehearsal = dryRun
        var manager = PersonaManager(ws)
        let personas = try PersonaTransfer.parse(data, file: file == "-" ? "<stdin>" : file)
        let names = personas.map { TerminalSafe.quoted($0.name) }.joined(separator: ", ")
        do {
          try manager.importPersonas(personas, scope: scope, replace: replace)
        } catch ConfigError.notWritten {
          Output.print("would import \(personas.count) persona(s) (--dry-run: nothing written): \(names)")
          return
        }
        Output.print("imported \(personas.count) persona(s): \(names)")
      }
    }

    func absolute(_ path: String) -> String {
      path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    func importAgents() throws {
      var ws = try global.workspace()
      ws.rehearsal = dryRun
      var manager = PersonaManager(ws)
      let table = InteropTable.load(configDir: ws.paths.global)
      for p in table.problems { Output.note("interop.toml: \(p)") }
      var files: [(String, AgentFormat)] = []
      for path in paths { files += try AgentImport.files(at: absolute(path), format: format) }
      if files.isEmpty { throw CLIError("no agent files in \(paths.joined(separator: ", "))") }
      var imported: [ImportedAgent] = []
      var problems: [String] = []
      for (path, f) in files {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
          problems.append("\(path): cannot read the file (missing, or not UTF-8)")
          continue
        }
        do {
          if path.hasSuffix("opencode.json") {
            imported += try AgentImport.readOpencodeJSON(text, path: path, config: manager.config, table: table)
          } else {
            imported.append(try AgentImport.read(text, path: path, format: f, config: manager.config, table: table))
          }
        } catch {
          problems.append(error.description)
        }
      }
      if !problems.isEmpty {
        Output.note("not imported: \(problems.count) file(s) could not be read:")
        for p in problems { Output.noteLine("  " + p) }
        throw ExitCode(1)
      }
      for a in imported {
        for l in a.losses { Output.noteLine(l.description) }
      }
      let personas = imported.map(\.persona)
      let presets = imported.compactMap(\.toolPreset)
      let names = personas.map { TerminalSafe.quoted($0.name) }.joined(separator: ", ")
      let result: Result<Void, ConfigError> = Result { () throws(ConfigError) in
        try manager.importPersonas(personas, toolPresets: presets, scope: scope, replace: replace)
      }
      if case .failure(let error) = result {
        guard case .notWritten = error else { throw error }
        Output.print(
          "would import \(personas.count) persona(s) (--dry-run: nothing written): \(names)"
            + (presets.isEmpty
              ? "" : "; with tool preset(s) \(presets.map { TerminalSafe.quoted($0.name) }.joined(separator: ", "))"))
        return
      }
      Output.print(
        "imported \(personas.count) persona(s) from \(files.count) agent file(s): \(names)"
          + (presets.isEmpty
            ? "" : "; made tool preset(s) \(presets.map { TerminalSafe.quoted($0.name) }.joined(separator: ", "))"))
    }
  }
}

extension Scope: ExpressibleByArgument {}
extension AgentFormat: ExpressibleByArgument {}
extension AgentFormat.NameStyle: ExpressibleByArgument {}
