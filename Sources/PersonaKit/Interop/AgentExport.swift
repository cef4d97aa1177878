import FoundationEssentials

/// A field of a persona an agent tool's file cannot hold (or of an agent file Dramatis has no
/// place for): said per persona and field, never dropped in silence.
public struct InteropLoss: Sendable, Equatable, CustomStringConvertible {
  public var persona: String
  public var field: String
  /// The value, as text (`0.2`, `gpt-5, gemini-2.5-pro`).
  public var value: String
  public var reason: String

  public var description: String {
    "\(persona): \(field)\(value.isEmpty ? "" : " " + value) — \(reason)"
  }

  public var json: JSONValue {
    .object([
      ("persona", .string(persona)), ("field", .string(field)), ("value", .string(value)), ("reason", .string(reason)),
    ])
  }
}

/// One agent file made from a persona.
public struct AgentFile: Sendable, Equatable {
  public var format: AgentFormat
  public var persona: String
  /// The agent's id: its file's name without the extension.
  public var id: String
  public var fileName: String
  public var text: String
  public var losses: [InteropLoss]
}

/// Personas as agent files (docs/interop.md has each format's mapping):
/// - the system prompt is the effective one, as the conductor builds it: the preset's text, the
///   persona's, the bias profile's tooling strategy;
/// - the model is the first preferred model the tool can run (Claude Code: Anthropic's; Codex:
///   OpenAI's; Gemini CLI: Gemini's; Copilot: those three; opencode: any, as `provider/model`),
///   with the temperature and top_p of that model where the tool takes them;
/// - the tools are the tool preset's, through `InteropTable`; `approval = "ask"` is opencode's
///   `permission: ask`;
/// - fields an import kept (`interop.FORMAT` in the persona's table) are written back;
/// - everything else the persona says that the tool cannot hold is an `InteropLoss`.
public enum AgentExport {
  /// Resolved personas by name and preferred model, shared by the formats of one run: each
  /// format resolves the same persona, often at the same model.
  final class Resolutions {
    var byKey: [String: ResolvedPersona] = [:]
    /// Each resolution's system prompt, joined once.
    var prompts: [String: String] = [:]
    var slugs: [String: String] = [:]

    func slug(_ name: String) -> String {
      if let s = slugs[name] { return s }
      let s = AgentFormat.slug(name)
      slugs[name] = s
      return s
    }

    func resolve(_ name: String, retry: Int, _ resolver: Resolver) -> ResolvedPersona {
      let key = "\(retry)\u{0}\(name)"
      if let r = byKey[key] { return r }
      let r = resolver.resolve(persona: name, retry: retry)
      byKey[key] = r
      return r
    }

    func prompt(_ name: String, retry: Int, _ resolver: Resolver) -> String {
      let key = "\(retry)\u{0}\(name)"
      if let p = prompts[key] { return p }
      let p = resolve(name, retry: retry, resolver).systemPrompt
      prompts[key] = p
      return p
    }
  }

  public static func file(
    _ persona: Persona, as format: AgentFormat, config: Config, table: InteropTable,
    nameStyle: AgentFormat.NameStyle? = nil
  ) -> AgentFile {
    file(persona, as: format, config: config, table: table, nameStyle: nameStyle, resolutions: Resolutions())
  }

  static func file(
    _ persona: Persona, as format: AgentFormat, config: Config, table: InteropTable,
    nameStyle: AgentFormat.NameStyle?, resolutions: Resolutions
  ) -> AgentFile {
    var losses: [InteropLoss] = []
    func lose(_ field: String, _ value: String, _ reason: String) {
      losses.append(InteropLoss(persona: persona.name, field: field, value: value, reason: reason))
    }
    let tool = format.label
    let id = resolutions.slug(persona.name)
    let name = (nameStyle ?? format.defaultNameStyle) == .slug ? id : persona.name
    let resolver = Resolver(config)

    // The model: the first preferred model the tool can run.
    let candidates = persona.preferredModels.enumerated().compactMap { i, m -> (Int, String, String)? in
      guard let model = m.model, !model.isEmpty else { return nil }
      let provider = m.provider ?? config.provider(serving: model, current: nil) ?? ""
      return (i, provider, model)
    }
    let chosen = candidates.first { format.runs(provider: $0.1) }
    let resolved = resolutions.resolve(persona.name, retry: chosen?.0 ?? 0, resolver)
    var modelText: String?
    if let (_, provider, model) = chosen {
      switch format {
      case .opencode: modelText = table.provider(provider, in: .opencode) + "/" + model
      case .copilot: modelText = table.model(model, in: .copilot) ?? model
      default: modelText = model
      }
    } else if !candidates.isEmpty {
      lose(
        "model", candidates.map(\.2).joined(separator: ", "),
        "\(tool) runs only \(format.providerNames) models (none preferred; the tool's own model applies)")
    }
    let others = candidates.filter { $0.0 != chosen?.0 }.map(\.2)
    if chosen != nil && !others.isEmpty {
      lose("fallback models", others.joined(separator: ", "), "\(tool) has no fallback models (dropped)")
    }
    for t in persona.tierAssignments {
      lose("tier_assignments.\(t.tierKey)", "", "\(tool) has no per-tier settings (dropped)")
    }
    // A value the persona or its preset sets (a provider's default is the provider's).
    func own<V>(_ r: Resolved<V>) -> V? {
      if case .providerDefault = r.origin { return nil }
      return r.value
    }
    let temperature = own(resolved.temperature)
    let topP = own(resolved.topP)
    if let m = own(resolved.maxOutputTokens) {
      lose("max_output_tokens", String(m), "\(tool) has no per-agent output limit (dropped)")
    }
    if let t = temperature, ![.opencode, .gemini].contains(format) {
      lose("temperature", TOMLWriter.formatFloat(t), "\(tool) has no per-agent temperature (dropped)")
    }
    if let p = topP, format != .opencode {
      lose("top_p", TOMLWriter.formatFloat(p), "\(tool) has no per-agent top_p (dropped)")
    }

    // The tools, theirs in our order, each once.
    var theirs: [String] = []
    var asks: Set<String> = []
    var unmapped: [String] = []
    for t in resolved.tools {
      guard let name = table.tool(t.name, in: format) else {
        unmapped.append(t.name)
        continue
      }
      if !theirs.contains(name) { theirs.append(name) }
      if t.approval == "ask" { asks.insert(name) }
    }
    if format == .codex {
      if !resolved.tools.isEmpty {
        lose(
          "tools", resolved.tools.map(\.name).joined(separator: ", "),
          "Codex CLI names no tools per agent (sandbox_mode stands for them)")
      }
    } else if !unmapped.isEmpty {
      lose(
        "tools", unmapped.joined(separator: ", "),
        "\(tool) has no tool for \(unmapped.count == 1 ? "it" : "them") alone (dropped; interop.toml maps tools)")
    }
    let asked = resolved.tools.filter { $0.approval == "ask" }.map(\.name)
    if !asked.isEmpty && format != .opencode {
      lose(
        "approval ask", asked.joined(separator: ", "),
        "\(tool) cannot ask per tool in an agent file; the session's permission settings apply")
    }

    // Tools of theirs an import found no counterpart for: written back as they were.
    let keptFields = kept(persona, format)
    for case .string(let t) in keptFields["unknown_tools"]?.arrayValue ?? [] where !theirs.contains(t) {
      theirs.append(t)
    }

    // The fields, in the order the tool's documentation shows them.
    var fm = TOMLDict()
    let prompt = resolutions.prompt(persona.name, retry: chosen?.0 ?? 0, resolver)
    switch format {
    case .claudeCode:
      fm["name"] = .string(name)
      fm["description"] = .string(persona.description)
      if !theirs.isEmpty { fm["tools"] = .string(theirs.joined(separator: ", ")) }
      if let modelText { fm["model"] = .string(modelText) }
    case .opencode:
      fm["description"] = .string(persona.description)
      fm["mode"] = keptFields["mode"] ?? .string("subagent")
      if let modelText { fm["model"] = .string(modelText) }
      if let temperature { fm["temperature"] = .float(temperature) }
      if let topP { fm["top_p"] = .float(topP) }
      if resolved.toolPresetID.value != nil {
        // Every tool the table knows: allowed, asked, or denied when the preset leaves it out.
        var permission = TOMLDict()
        for name in table.tools[.opencode]?.map(\.theirs) ?? [] where !name.isEmpty && permission[name] == nil {
          permission[name] = .string(asks.contains(name) ? "ask" : theirs.contains(name) ? "allow" : "deny")
        }
        for name in theirs where permission[name] == nil { permission[name] = .string("allow") }
        fm["permission"] = .table(permission)
      }
    case .codex:
      fm["name"] = .string(name)
      fm["description"] = .string(persona.description)
      if let modelText { fm["model"] = .string(modelText) }
      // (A tool of the catalog's edit or execute category changes the workspace.)
      let writes = resolved.tools.contains { ["edit", "execute"].contains(config.tools[$0.name]?.category ?? "") }
      fm["sandbox_mode"] = .string(writes ? "workspace-write" : "read-only")
    case .gemini:
      fm["name"] = .string(name)
      fm["description"] = .string(persona.description)
      if !theirs.isEmpty { fm["tools"] = .array(theirs.map { .string($0) }) }
      if let modelText { fm["model"] = .string(modelText) }
      if let temperature { fm["temperature"] = .float(temperature) }
    case .copilot:
      fm["name"] = .string(name)
      fm["description"] = .string(persona.description)
      if !theirs.isEmpty { fm["tools"] = .array(theirs.map { .string($0) }) }
      if let modelText { fm["model"] = .string(modelText) }
    }
    // What an import kept, written back where the mapping left the field free.
    for (key, value) in keptFields.entries where fm[key] == nil && key != promptKey(format) && key != "unknown_tools" {
      fm[key] = value
    }

    let text: String
    if format == .codex {
      fm["developer_instructions"] = .string(prompt)
      text = TOMLWriter.write(fm)
    } else {
      text =
        "---\n" + YAML.emit(fm, flow: format == .copilot ? ["tools"] : []) + "---\n\n" + prompt
        + (prompt.hasSuffix("\n") ? "" : "\n")
    }
    return AgentFile(
      format: format, persona: persona.name, id: id, fileName: format.fileName(id), text: text, losses: losses)
  }

  /// The persona's fields kept from an import of that format (`interop.FORMAT`).
  static func kept(_ persona: Persona, _ format: AgentFormat) -> TOMLDict {
    persona.raw["interop"]?.tableValue?[format.rawValue]?.tableValue ?? TOMLDict()
  }

  /// The key that holds the prompt in a file without a body (Codex).
  static func promptKey(_ format: AgentFormat) -> String? { format == .codex ? "developer_instructions" : nil }
}

extension AgentExport {
  /// Files of several personas for one format: refused when two personas would share a file
  /// (their ids are the same slug).
  public static func files(
    _ personas: [Persona], as format: AgentFormat, config: Config, table: InteropTable,
    nameStyle: AgentFormat.NameStyle? = nil
  ) throws(ConfigError) -> [AgentFile] {
    try files(personas, as: format, config: config, table: table, nameStyle: nameStyle, resolutions: Resolutions())
  }

  static func files(
    _ personas: [Persona], as format: AgentFormat, config: Config, table: InteropTable,
    nameStyle: AgentFormat.NameStyle?, resolutions: Resolutions
  ) throws(ConfigError) -> [AgentFile] {
    let files = personas.map {
      file($0, as: format, config: config, table: table, nameStyle: nameStyle, resolutions: resolutions)
    }
    var owner: [String: String] = [:]
    for f in files {
      if let other = owner[f.fileName] {
        throw .invalid(
          "personas \(TerminalSafe.quoted(other)) and \(TerminalSafe.quoted(f.persona)) would both be "
            + "\(format.projectDir)/\(f.fileName) (\(format.label) names agents by \(f.id)): rename one")
      }
      owner[f.fileName] = f.persona
    }
    return files
  }

  /// Writes the files into `dir` (made when missing), each atomically. A file there that holds
  /// other bytes is not overwritten unless `force`: its path is in the error, and nothing is
  /// written.
  public static func write(_ files: [AgentFile], into dir: URL, force: Bool) throws(ConfigError) -> [String] {
    var refused: [String] = []
    for f in files {
      let url = dir.appendingPathComponent(f.fileName)
      if let old = FileManager.default.contents(atPath: url.path), old != Data(f.text.utf8), !force {
        refused.append(url.path)
      }
    }
    if !refused.isEmpty {
      throw .invalid(
        "not written: \(refused.count == 1 ? "this file holds" : "these files hold") other bytes "
          + "(an agent written by hand, or edited since): \(refused.joined(separator: ", ")); "
          + "--force overwrites, dramatis sync keeps track of the files it wrote")
    }
    do {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    } catch {
      throw .writeFailed("\(dir.path): cannot make the folder: \(systemMessage(error))")
    }
    var written: [String] = []
    for f in files {
      let url = dir.appendingPathComponent(f.fileName)
      let data = Data(f.text.utf8)
      if FileManager.default.contents(atPath: url.path) == data { continue }
      do {
        try AtomicFile.write(data, to: url, previous: nil)
      } catch {
        throw .writeFailed(error.description)
      }
      written.append(url.path)
    }
    return written
  }
}
