import FoundationEssentials

/// A persona made from an agent tool's file, with the tool preset its tools need (nil: an
/// existing preset has exactly those tools, or the file names none) and what could not be kept.
public struct ImportedAgent: Sendable {
  public var path: String
  public var format: AgentFormat
  public var persona: Persona
  public var toolPreset: ToolPreset?
  public var losses: [InteropLoss]
}

/// Agent files as personas — the reverse of `AgentExport`:
/// - the body (Codex: `developer_instructions`) becomes the persona's own system prompt;
/// - `name` (else the file's name) is the persona's name; a slug that is an existing persona's
///   (`security-reviewer` for `Security Reviewer`) names that persona;
/// - the model is matched to a provider of the catalog (Claude Code's `sonnet`/`opus`/`haiku`
///   through `InteropTable`, opencode's `provider/model`, Copilot's model names); `inherit`
///   leaves the persona without a preferred model, and says so;
/// - the tools come back through `InteropTable`: a tool preset with exactly those tools is
///   reused, else one is made (`NAME tools`); a tool with no counterpart is reported and kept;
/// - every other field is kept as it is under `interop.FORMAT` in the persona's table, and an
///   export to the same format writes it back.
public enum AgentImport {
  /// The agent files a path names: the file itself, or every agent file of a folder (sorted),
  /// each with its format (`format`, else the one its place says).
  public static func files(at path: String, format: AgentFormat?) throws(ConfigError) -> [(String, AgentFormat)] {
    var isDir = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
      throw .invalid("\(path): no such file or folder")
    }
    guard let f = format ?? AgentFormat.inferred(from: path) ?? (path.hasSuffix("opencode.json") ? .opencode : nil)
    else {
      throw .invalid(
        "\(path): the format cannot be told from the path; say --format "
          + AgentFormat.allCases.map(\.rawValue).joined(separator: "|"))
    }
    if !isDir { return [(path, f)] }
    // (A folder's opencode.json is read too, beside its agent files.)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    let dir = path.hasSuffix("/") ? String(path.dropLast()) : path
    return names.sorted().filter { f.id(ofFile: $0) != nil || (f == .opencode && $0 == "opencode.json") }.map {
      (dir + "/" + $0, f)
    }
  }

  /// Reads one agent file. Refused with the place of the problem when the file does not parse.
  public static func read(
    _ text: String, path: String, format: AgentFormat, config: Config, table: InteropTable
  ) throws(ConfigError) -> ImportedAgent {
    let fileName = String(path.split(separator: "/").last ?? Substring(path))
    let stem = format.id(ofFile: fileName) ?? fileName
    var fields = TOMLDict()
    var body = ""
    if format == .codex {
      do {
        fields = try TOMLParser.parse(text).root
      } catch {
        throw .invalid("\(path):\(error.line):\(error.column): \(error.message)")
      }
      body = lineFeeds(fields["developer_instructions"]?.stringValue ?? "")
      fields["developer_instructions"] = nil
    } else {
      let (front, rest, line) = frontmatter(lineFeeds(text))
      body = rest
      if let front {
        let node: TOMLNode?
        do {
          node = try YAML.parse(front)
        } catch {
          throw .invalid("\(path):\(line + error.line - 1):\(error.column): \(error.message)")
        }
        if let node {
          guard let t = node.tableValue else {
            throw .invalid("\(path):\(line): the frontmatter is \(node.typeName), not a mapping")
          }
          fields = t
        }
      }
    }
    return try agent(fields: fields, body: body, id: stem, path: path, format: format, config: config, table: table)
  }

  /// The agents of an `opencode.json`'s `agent` object (its `prompt` is the system prompt; a
  /// `{file:…}` prompt is kept as it is, not read).
  public static func readOpencodeJSON(
    _ text: String, path: String, config: Config, table: InteropTable
  ) throws(ConfigError) -> [ImportedAgent] {
    let json: JSONValue
    do {
      json = try JSONParser.parse(text)
    } catch {
      throw .invalid("\(path):\(error.line):\(error.column): \(error.message)")
    }
    guard let agents = json["agent"]?.object else {
      throw .invalid("\(path): no \"agent\" object (opencode.json names its agents under \"agent\")")
    }
    var out: [ImportedAgent] = []
    for (id, value) in agents {
      guard var fields = value.tomlNode?.tableValue else {
        throw .invalid("\(path): agent.\(id) is not an object")
      }
      var body = ""
      if let prompt = fields["prompt"]?.stringValue, !prompt.hasPrefix("{file:") {
        body = prompt
        fields["prompt"] = nil
      }
      out.append(
        try agent(fields: fields, body: body, id: id, path: path, format: .opencode, config: config, table: table))
    }
    return out
  }

  /// An agent's fields and body as a persona.
  static func agent(
    fields: TOMLDict, body: String, id stem: String, path: String, format: AgentFormat, config: Config,
    table: InteropTable
  ) throws(ConfigError) -> ImportedAgent {
    let fileName = String(path.split(separator: "/").last ?? Substring(path))
    var losses: [InteropLoss] = []
    var kept = TOMLDict()
    // The persona's name: the file's `name`, else its file name; a slug of an existing persona is
    // that persona (an export read back).
    var name = fields["name"]?.stringValue ?? stem
    if format == .opencode { name = stem }
    if let existing = config.personas.names.first(where: { AgentFormat.slug($0) == name }), name != existing,
      format.defaultNameStyle == .slug
    {
      name = existing
    }
    func lose(_ field: String, _ value: String, _ reason: String) {
      losses.append(InteropLoss(persona: name, field: field, value: value, reason: reason))
    }
    var persona = Persona(name: name)
    persona.description = fields["description"]?.stringValue ?? ""
    let prompt = trimmed(body)
    if !prompt.isEmpty { persona.systemPrompt = prompt }

    // The model.
    var settings = ModelSettings()
    if let text = fields["model"]?.stringValue, !text.isEmpty {
      switch format {
      case .claudeCode where text == "inherit":
        lose("model", "inherit", "the session's model in Claude Code; the persona gets no preferred model")
      case .opencode:
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        if parts.count == 2 {
          settings.provider = table.ourProvider(parts[0], in: .opencode)
          settings.model = parts[1]
        } else {
          settings.model = text
        }
      default:
        let id = table.ourModel(text, in: format) ?? table.ourModel(copilotName(text), in: format) ?? text
        settings.model = id
        // A model the catalog does not list is still the tool's own provider's (Claude Code runs
        // Anthropic's); Copilot runs several, so its unknown names get none.
        let own = format.providers.flatMap { $0.count == 1 ? $0[0] : nil }
        settings.provider =
          config.provider(serving: id, current: nil) ?? own.flatMap { config.providers[$0] == nil ? nil : $0 }
      }
      if let m = settings.model, let p = settings.provider, config.providers[p]?.models.contains(m) != true {
        lose("model", text, "not in \(p)'s models of models.toml (kept; validation will say so)")
      } else if settings.model != nil && settings.provider == nil {
        lose("model", text, "no provider of models.toml lists it (kept without a provider)")
      }
    }
    if let t = fields["temperature"]?.doubleValue { settings.temperature = t }
    if let p = fields["top_p"]?.doubleValue { settings.topP = p }
    if !settings.isEmpty { persona.preferredModels = [settings] }

    // The tools.
    var grants: [(name: String, approval: String)] = []
    var unknown: [String] = []
    var namedTools = false
    func grant(_ theirs: String, approval: String) {
      guard let ours = table.ourTool(theirs, in: format) else {
        if !unknown.contains(theirs) { unknown.append(theirs) }
        return
      }
      if let i = grants.firstIndex(where: { $0.name == ours }) {
        if approval == "ask" { grants[i].approval = "ask" }
      } else {
        grants.append((ours, approval))
      }
    }
    switch fields["tools"] {
    case .string(let s)?:
      namedTools = true
      for t in s.split(separator: ",") {
        let name = String(t.trimmingSpaces)
        if !name.isEmpty { grant(name, approval: "auto") }
      }
    case .array(let items)?:
      namedTools = true
      for case .string(let t) in items { grant(t, approval: "auto") }
    case .table(let map)?:
      // opencode's older map: name → true / false.
      namedTools = true
      for (t, on) in map.entries where on == .bool(true) { grant(t, approval: "auto") }
    default: break
    }
    if format == .opencode, let permission = fields["permission"]?.tableValue {
      namedTools = true
      for (t, rule) in permission.entries {
        switch rule {
        case .string("deny"): grants.removeAll { $0.name == table.ourTool(t, in: .opencode) }
        case .string(let a): grant(t, approval: a == "ask" ? "ask" : "auto")
        default:
          // Command patterns (`bash: { "git *": allow }`): the tool, asked; the patterns dropped.
          grant(t, approval: "ask")
          lose(
            "permission.\(t)", TOMLWriter.format(rule, inline: true), "command patterns are not kept (the tool asks)")
        }
      }
    }
    if !unknown.isEmpty {
      lose(
        "tools", unknown.joined(separator: ", "),
        "no Dramatis tool for \(unknown.count == 1 ? "it" : "them") in interop.toml (kept in interop.\(format.rawValue), written back on export)"
      )
      kept["unknown_tools"] = .array(unknown.map { .string($0) })
    }
    var preset: ToolPreset?
    if namedTools {
      let wanted = Set(grants.map { "\($0.name)=\($0.approval)" })
      if let same = config.toolPresets.values.first(where: { p in
        Set(p.allTools.map { "\($0.tool.name)=\($0.tool.approval)" }) == wanted
      }) {
        persona.toolPresetID = same.name
      } else if !grants.isEmpty {
        var categories: [ToolCategory] = []
        for g in grants {
          let category = config.tools[g.name]?.category ?? "other"
          if let i = categories.firstIndex(where: { $0.name == category }) {
            categories[i].tools.append(ToolGrant(name: g.name, approval: g.approval))
          } else {
            categories.append(ToolCategory(name: category, tools: [ToolGrant(name: g.name, approval: g.approval)]))
          }
        }
        let presetName = "\(name) tools"
        preset = ToolPreset(
          name: presetName, description: "Imported from \(format.label) (\(fileName))", categories: categories)
        persona.toolPresetID = presetName
      }
    }

    // Everything else, as it is.
    let mapped: Set<String> = ["name", "description", "model", "tools", "temperature", "top_p", "permission"]
    for (key, value) in fields.entries where !mapped.contains(key) {
      kept[key] = value
    }
    if !kept.isEmpty {
      persona.raw["interop"] = .table(TOMLDict([(format.rawValue, .table(kept))]))
    }
    return ImportedAgent(path: path, format: format, persona: persona, toolPreset: preset, losses: losses)
  }

  /// Copilot's `Claude Sonnet 4.5 (copilot)`: the name without the vendor in brackets.
  static func copilotName(_ text: String) -> String {
    guard text.hasSuffix(")"), let open = text.lastIndex(of: "(") else { return text }
    return String(text[..<open].trimmingSpaces)
  }

  /// The YAML between a first line `---` and the next `---` (or `...`), the rest, and the line
  /// the YAML starts on. No frontmatter: nil and the whole text.
  static func frontmatter(_ text: String) -> (String?, String, Int) {
    var t = Substring(text)
    if t.hasPrefix("\u{FEFF}") { t = t.dropFirst() }
    let lines = t.split(separator: "\n", omittingEmptySubsequences: false)
    func bare(_ line: Substring) -> Substring { line.hasSuffix("\r") ? line.dropLast() : line }
    guard let first = lines.first, bare(first) == "---" else { return (nil, String(t), 1) }
    guard let end = lines.dropFirst().firstIndex(where: { bare($0) == "---" || bare($0) == "..." }) else {
      return (nil, String(t), 1)
    }
    let yaml = lines[1..<end].map { String(bare($0)) }.joined(separator: "\n")
    let rest = lines[(end + 1)...].joined(separator: "\n")
    return (yaml, rest, 2)
  }

  /// The text with its CR LF line ends as LF (a String splits "\r\n" as one character, not at
  /// its LF; files written on Windows have them).
  static func lineFeeds(_ text: String) -> String {
    let bytes = Array(text.utf8)
    guard bytes.contains(0x0D) else { return text }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    for (i, b) in bytes.enumerated() where !(b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) {
      out.append(b)
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// A body without the blank lines around it and the spaces at its end.
  static func trimmed(_ body: String) -> String {
    var lines = body.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? $0.dropLast() : $0
    }
    while let f = lines.first, f.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeFirst() }
    while let l = lines.last, l.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeLast() }
    return lines.joined(separator: "\n")
  }
}
