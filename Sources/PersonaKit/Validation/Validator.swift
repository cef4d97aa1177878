import FoundationEssentials

/// Checks every file and every reference: types (from reading), ranges, unknown references,
/// duplicate names, tier keys, dependency cycles. Each problem names its place.
public struct Validator {
  let ws: Workspace
  let config: Config
  var out: [Diagnostic] = []

  public static func validate(_ ws: Workspace) -> [Diagnostic] { validate(ws, only: nil) }

  /// What `validate` reports about the given files only (all when nil): the checks of their
  /// entries — which look up names in the whole configuration — and the problems read from them.
  public static func validate(_ ws: Workspace, only files: Set<ConfigFileID>?) -> [Diagnostic] {
    var v = Validator(ws: ws, config: ws.config)
    func wanted(_ id: ConfigFileID) -> Bool { files?.contains(id) ?? true }
    if let files {
      let paths = Set(files.map { v.source($0).path })
      v.out = ws.readDiagnostics.filter { paths.contains($0.file) }
    } else {
      v.out = ws.readDiagnostics
    }
    v.unparsedReferences(files)
    for scope in Scope.allCases {
      guard let data = ws.scopes[scope] else { continue }
      if wanted(.file(.personas, scope)) { v.personas(data.personas, scope) }
      if wanted(.file(.presets, scope)) { v.presets(data.presets, scope) }
      if wanted(.file(.toolPresets, scope)) { v.toolPresets(data.toolPresets, scope) }
      if wanted(.file(.biasProfiles, scope)) { v.biasProfiles(data.biasProfiles, scope) }
      v.catalog(
        wanted(.file(.tools, scope)) ? data.tools : [], wanted(.file(.models, scope)) ? data.providers : [], scope)
      if let mma = data.mma, wanted(.file(.mma, scope)) { v.mma(mma, scope) }
      if let ai = data.aiSettings, wanted(.file(.aiSettings, scope)) { v.aiSettings(ai, scope) }
      for track in data.tracks where wanted(.track(track.name, scope)) { v.track(track, scope) }
    }
    if files.map({ $0.contains { [.personas, .toolPresets].contains($0.kind) } }) ?? true { v.nameClashes() }
    return v.out
  }

  /// The kinds of entry whose file (in either scope) does not parse: a name that is not found
  /// among them may well be in the part that could not be read, so it is not reported as unknown.
  var unparsed: Set<ConfigFileKind> = []

  /// Notes, once per file that does not parse, that references into it could not be checked
  /// (each reference would otherwise be a false "unknown persona").
  mutating func unparsedReferences(_ files: Set<ConfigFileID>?) {
    unparsed = Set(config.unparsed.keys)
    for (id, file) in ws.files.sorted(by: { $0.value.path < $1.value.path }) where !file.isWritable && file.exists {
      guard case .file(let kind, _) = id, kind.collectionKey != nil else { continue }
      if files?.contains(id) ?? true {
        out.append(
          Diagnostic(
            file: file.path, subject: "",
            message: "references to \(kind.entryLabel)s could not be checked: the file does not parse",
            severity: .warning))
      }
    }
  }

  /// Whether `name` is missing from the configuration's entries of `kind` — false when that
  /// kind's file does not parse (the entry may be in the part that could not be read).
  func isUnknown(_ name: String, _ kind: ConfigFileKind) -> Bool {
    guard !unparsed.contains(kind), let entries = entries(kind) else { return false }
    return !entries.contains(name)
  }

  /// `unknown persona "worker" (did you mean "Worker"?)`.
  func unknownMessage(_ name: String, _ kind: ConfigFileKind) -> String {
    "unknown \(kind.entryLabel) \(Self.q(name))" + Suggest.hint(name, among: entries(kind)?.names ?? [])
  }

  /// The configuration's entries of a kind of file (nil for mma.toml and ai_settings.toml, which
  /// hold no named entries).
  func entries(_ kind: ConfigFileKind) -> (contains: (String) -> Bool, names: [String])? {
    switch kind {
    case .personas: return (config.personas.contains, config.personas.names)
    case .presets: return (config.presets.contains, config.presets.names)
    case .toolPresets: return (config.toolPresets.contains, config.toolPresets.names)
    case .biasProfiles: return (config.biasProfiles.contains, config.biasProfiles.names)
    case .tools: return (config.tools.contains, config.tools.names)
    case .models: return (config.providers.contains, config.providers.names)
    case .mma, .aiSettings: return nil
    }
  }

  /// What `validate` would report about the personas named `persona.name` if `persona` were put
  /// in `scope` (replacing any of that name there): its own checks, those of a persona of that
  /// name in the other scope, and the problems found while reading — without checking the rest
  /// of the configuration, which the persona's checks do not depend on. `config` is the
  /// configuration's merged view (a persona's checks look up presets, tool presets, bias profiles
  /// and providers, never other personas).
  ///
  /// The problems read from the file the persona goes to are left out: the save writes the values
  /// checked here where they changed and keeps the rest of the file as it was (a wrong type left
  /// untouched stays, reported as before), so they would only stop the user from saving — the fix
  /// among other things. Those of the other scope's file stay.
  static func validate(persona: Persona, in scope: Scope, of ws: Workspace, config: Config) -> [Diagnostic] {
    var v = Validator(ws: ws, config: config)
    let savedTo = v.source(.file(.personas, scope)).path
    v.out = ws.readDiagnostics.filter { $0.file != savedTo }
    for s in Scope.allCases {
      if s == scope {
        v.personas([persona], s)
      } else if let data = ws.scopes[s] {
        v.personas(data.personas.filter { $0.name == persona.name }, s)
      }
    }
    return v.out
  }

  public static func hasErrors(_ diagnostics: [Diagnostic]) -> Bool {
    diagnostics.contains { $0.severity == .error }
  }

  // MARK: helpers

  func source(_ id: ConfigFileID) -> SourceFile {
    ws.files[id]?.source ?? SourceFile(path: ws.url(id)?.path ?? id.description)
  }

  mutating func error(_ file: SourceFile, _ path: [PathSegment], _ message: String) {
    out.append(file.diagnostic(path, message))
  }

  mutating func warn(_ file: SourceFile, _ path: [PathSegment], _ message: String) {
    out.append(file.diagnostic(path, message, severity: .warning))
  }

  static func q(_ s: String) -> String { TerminalSafe.quoted(s) }

  static func num(_ d: Double) -> String { TOMLWriter.formatFloat(d) }

  mutating func checkName(_ name: String, _ file: SourceFile, _ path: [PathSegment], kind: String) {
    let trimmed = name.trimmingSpaces
    if trimmed.isEmpty {
      error(file, path, "a \(kind) needs a name that is not empty")
    } else if trimmed.startIndex != name.startIndex || trimmed.endIndex != name.endIndex {
      warn(file, path, "the \(kind) name \(Self.q(name)) starts or ends with spaces")
    }
  }

  /// Ranges of one model choice. `fallbackProvider` gives the temperature range when the entry
  /// names no provider itself.
  mutating func modelSettings(
    _ m: ModelSettings, _ file: SourceFile, _ path: [PathSegment], requireModel: Bool, fallbackProvider: String?
  ) {
    var provider: Provider?
    if let p = m.provider {
      provider = config.providers[p]
      if provider == nil && !unparsed.contains(.models) {
        error(
          file, path + [.key("provider")],
          "unknown provider \(Self.q(p)) (models.toml lists: \(config.providers.names.joined(separator: ", ")))")
      }
    } else if requireModel {
      error(file, path, "a preferred model needs a provider")
    }
    if provider == nil, let fb = fallbackProvider {
      // The provider the entry resolves to: a model named alone moves to the provider listing it.
      provider = config.providers[m.model.flatMap { config.provider(serving: $0, current: fb) } ?? fb]
    }
    if let model = m.model {
      if model.isEmpty {
        error(file, path + [.key("model")], "the model name is empty")
      } else if let provider, m.provider != nil || fallbackProvider != nil, !provider.models.contains(model),
        !unparsed.contains(.models)
      {
        warn(file, path + [.key("model")], "model \(Self.q(model)) is not in \(provider.name)'s catalog in models.toml")
      }
    } else if requireModel {
      error(file, path, "a preferred model needs a model")
    }
    if let t = m.temperature {
      let range = provider?.temperatureRange ?? 0...2
      if !range.contains(t) {
        let who = provider.map { "\($0.name)'s range" } ?? "the range"
        error(
          file, path + [.key("temperature")],
          "\(Self.num(t)) is outside \(who) \(Self.num(range.lowerBound))–\(Self.num(range.upperBound))")
      }
    }
    if let p = m.topP, !(0...1).contains(p) {
      error(file, path + [.key("top_p")], "\(Self.num(p)) is outside 0–1")
    }
    if let n = m.maxOutputTokens {
      if n <= 0 {
        error(file, path + [.key("max_output_tokens")], "must be greater than 0, found \(n)")
      } else if let limit = provider?.maxOutputTokensLimit, n > limit {
        error(file, path + [.key("max_output_tokens")], "\(n) is above \(provider!.name)'s limit of \(limit)")
      }
    }
  }

  // MARK: personas

  mutating func personas(_ list: [Persona], _ scope: Scope) {
    let file = source(.file(.personas, scope))
    for p in list {
      let path: [PathSegment] = [.key("personas"), .key(p.name)]
      checkName(p.name, file, path, kind: "persona")
      if let id = p.systemPromptPresetID, !id.isEmpty, isUnknown(id, .presets) {
        error(file, path + [.key("system_prompt_preset_id")], unknownMessage(id, .presets))
      }
      if let id = p.toolPresetID, !id.isEmpty, isUnknown(id, .toolPresets) {
        error(file, path + [.key("tool_preset_id")], unknownMessage(id, .toolPresets))
      }
      if let id = p.biasProfileID, !id.isEmpty, isUnknown(id, .biasProfiles) {
        error(file, path + [.key("bias_profile_id")], unknownMessage(id, .biasProfiles))
      }
      for (i, m) in p.preferredModels.enumerated() {
        modelSettings(
          m, file, path + [.key("preferred_models"), .index(i)], requireModel: true, fallbackProvider: nil)
      }
      let primary = p.preferredModels.first?.provider
      var seenTiers: Set<String> = []
      for a in p.tierAssignments {
        let apath = path + [.key("tier_assignments"), .key(a.tierKey)]
        if a.tier == nil {
          error(file, apath, "unknown tier key \(Self.q(a.tierKey)): tiers are tier1, tier2, tier3, tier4")
        }
        if !seenTiers.insert(a.tierKey).inserted { error(file, apath, "tier \(a.tierKey) is assigned twice") }
        modelSettings(a.settings, file, apath, requireModel: false, fallbackProvider: primary)
      }
    }
  }

  // MARK: presets, tool presets, bias profiles, catalogs

  mutating func presets(_ list: [SystemPromptPreset], _ scope: Scope) {
    let file = source(.file(.presets, scope))
    for p in list {
      let path: [PathSegment] = [.key("presets"), .key(p.name)]
      checkName(p.name, file, path, kind: "preset")
      if p.systemPrompt.isEmpty { warn(file, path, "the preset has no system_prompt") }
      modelSettings(
        ModelSettings(temperature: p.temperature, topP: p.topP, maxOutputTokens: p.maxOutputTokens), file, path,
        requireModel: false, fallbackProvider: nil)
    }
  }

  mutating func toolPresets(_ list: [ToolPreset], _ scope: Scope) {
    let file = source(.file(.toolPresets, scope))
    for p in list {
      let path: [PathSegment] = [.key("tool_presets"), .key(p.name)]
      checkName(p.name, file, path, kind: "tool preset")
      var seen: [String: String] = [:]
      for c in p.categories {
        for (i, g) in c.tools.enumerated() {
          let gpath = path + [.key("categories"), .key(c.name), .key("tools"), .index(i)]
          if g.name.isEmpty {
            error(file, gpath, "a tool needs a name")
            continue
          }
          if let def = config.tools[g.name] {
            if !def.category.isEmpty && def.category != c.name {
              warn(
                file, gpath + [.key("name")],
                "tool \(Self.q(g.name)) is in category \(Self.q(def.category)) in tools.toml, not \(Self.q(c.name))")
            }
          } else if isUnknown(g.name, .tools) {
            error(file, gpath + [.key("name")], unknownMessage(g.name, .tools) + " (not in tools.toml)")
          }
          if let other = seen[g.name] {
            error(
              file, gpath + [.key("name")], "duplicate tool \(Self.q(g.name)) (already in category \(Self.q(other)))")
          }
          seen[g.name] = c.name
          if g.approval != "auto" && g.approval != "ask" {
            error(file, gpath + [.key("approval")], "approval must be \"auto\" or \"ask\", found \(Self.q(g.approval))")
          }
          if !(1...5).contains(g.weight) {
            error(file, gpath + [.key("weight")], "weight must be 1 to 5, found \(g.weight)")
          }
          for (param, bias) in g.parameterBias where bias != "preferred" && bias != "discouraged" {
            error(
              file, gpath + [.key("parameter_bias"), .key(param)],
              "must be \"preferred\" or \"discouraged\", found \(Self.q(bias))")
          }
        }
      }
    }
  }

  mutating func biasProfiles(_ list: [BiasProfile], _ scope: Scope) {
    let file = source(.file(.biasProfiles, scope))
    let categories = Set(config.tools.values.map(\.category))
    for b in list {
      let path: [PathSegment] = [.key("bias_profiles"), .key(b.name)]
      checkName(b.name, file, path, kind: "bias profile")
      for (cat, m) in b.categoryMultipliers.sorted(by: { $0.key < $1.key }) {
        let mpath = path + [.key("category_multipliers"), .key(cat)]
        if m < 0 || !m.isFinite { error(file, mpath, "a multiplier must be 0 or more, found \(Self.num(m))") }
        if !categories.contains(cat) { warn(file, mpath, "no tool in tools.toml has category \(Self.q(cat))") }
      }
      for (tool, w) in b.toolWeights.sorted(by: { $0.key < $1.key }) {
        let wpath = path + [.key("tool_weights"), .key(tool)]
        if isUnknown(tool, .tools) { error(file, wpath, unknownMessage(tool, .tools) + " (not in tools.toml)") }
        if !(1...5).contains(w) { error(file, wpath, "weight must be 1 to 5, found \(w)") }
      }
    }
  }

  mutating func catalog(_ tools: [ToolDefinition], _ providers: [Provider], _ scope: Scope) {
    let toolsFile = source(.file(.tools, scope))
    for t in tools {
      let path: [PathSegment] = [.key("tools"), .key(t.name)]
      checkName(t.name, toolsFile, path, kind: "tool")
      if t.category.isEmpty { error(toolsFile, path, "a tool needs a category") }
    }
    let modelsFile = source(.file(.models, scope))
    for p in providers {
      let path: [PathSegment] = [.key("providers"), .key(p.name)]
      checkName(p.name, modelsFile, path, kind: "provider")
      if p.models.isEmpty { warn(modelsFile, path, "the provider lists no models") }
      if p.temperatureRange.lowerBound < 0 {
        error(modelsFile, path + [.key("temperature_range")], "a temperature cannot be negative")
      }
      var d = p.defaults
      if d.provider == nil { d.provider = p.name }
      modelSettings(d, modelsFile, path + [.key("defaults")], requireModel: false, fallbackProvider: p.name)
    }
  }

  // MARK: mma.toml, ai_settings.toml

  mutating func mma(_ m: MMAConfig, _ scope: Scope) {
    let file = source(.file(.mma, scope))
    for (key, persona) in m.tiers {
      let path: [PathSegment] = [.key("tiers"), .key(key)]
      if TierAssignment(tierKey: key, settings: ModelSettings()).tier == nil {
        error(file, path, "unknown tier key \(Self.q(key)): tiers are tier1, tier2, tier3, tier4")
      }
      if isUnknown(persona, .personas) { error(file, path, unknownMessage(persona, .personas)) }
    }
    if let d = m.defaultPersona, !d.isEmpty, isUnknown(d, .personas) {
      error(file, [.key("default_persona")], unknownMessage(d, .personas))
    }
  }

  mutating func aiSettings(_ s: AISettings, _ scope: Scope) {
    let file = source(.file(.aiSettings, scope))
    if let p = s.personaID, !p.isEmpty, isUnknown(p, .personas) {
      error(file, [.key("persona")], unknownMessage(p, .personas))
    }
    let known = Set(AISettings.fieldKeys + ["system_prompt_preset_id"])
    for key in s.overrides.keys where !known.contains(key) {
      warn(
        file, [.key("overrides"), .key(key)],
        "unknown field (kept)" + Suggest.hint(key, among: known)
          + ": the fields are \(AISettings.fieldKeys.joined(separator: ", "))")
    }
    let bound = s.personaID.flatMap { config.personas[$0]?.preferredModels.first }
    modelSettings(
      s.modelOverrides, file, [.key("overrides")], requireModel: false, fallbackProvider: bound?.provider)
    // A provider chosen in the panel with the persona's model left bound: the pair must still match.
    if let p = s.modelOverrides.provider, s.modelOverrides.model == nil, let model = bound?.model,
      let provider = config.providers[p], !provider.models.contains(model)
    {
      warn(
        file, [.key("overrides"), .key("provider")],
        "the persona's model \(Self.q(model)) is not in \(provider.name)'s catalog in models.toml")
    }
    if let t = s.overrides["tool_preset_id"]?.stringValue, isUnknown(t, .toolPresets) {
      error(file, [.key("overrides"), .key("tool_preset_id")], unknownMessage(t, .toolPresets))
    }
    if let b = s.overrides["bias_profile_id"]?.stringValue, isUnknown(b, .biasProfiles) {
      error(file, [.key("overrides"), .key("bias_profile_id")], unknownMessage(b, .biasProfiles))
    }
  }

  // MARK: tracks

  mutating func track(_ t: Track, _ scope: Scope) {
    let file = source(.track(t.name, scope))
    if let p = t.personaID, !p.isEmpty, isUnknown(p, .personas) {
      error(file, [.key("persona_id")], unknownMessage(p, .personas))
    }
    var firstIndex: [String: Int] = [:]
    let ids = Set(t.tickets.map(\.id))
    let catalogModels = Set(config.providers.values.flatMap(\.models))
    for (i, tk) in t.tickets.enumerated() {
      // The place and the subject are made only for a problem (most tickets have none).
      func add(_ key: String?, _ message: String, _ severity: Diagnostic.Severity = .error) {
        let path: [PathSegment] = [.key("tickets"), .index(i)] + (key.map { [.key($0)] } ?? [])
        let subject = "ticket \(tk.id.isEmpty ? "#\(i + 1)" : TerminalSafe.escape(tk.id))"
        out.append(
          file.diagnostic(path, message, severity: severity, subject: subject + (key.map { " \($0)" } ?? "")))
      }
      if tk.id.isEmpty { add(nil, "a ticket needs an id") }
      if let j = firstIndex[tk.id], !tk.id.isEmpty {
        add("id", "duplicate ticket id (ticket #\(j + 1) has it too)")
      } else {
        firstIndex[tk.id] = i
      }
      if !Ticket.statuses.contains(tk.status) {
        add("status", "unknown status \(Self.q(tk.status)): use \(Ticket.statuses.joined(separator: ", "))")
      }
      if !(1...4).contains(tk.tier) { add("tier", "tier must be 1 to 4, found \(tk.tier)") }
      if tk.retryCount < 0 { add("retry_count", "cannot be negative, found \(tk.retryCount)") }
      if let p = tk.personaID, !p.isEmpty, isUnknown(p, .personas) {
        add("persona_id", unknownMessage(p, .personas))
      }
      if let m = tk.modelOverride, !m.isEmpty, !catalogModels.contains(m) {
        add("model_override", "model \(Self.q(m)) is in no provider's catalog in models.toml", .warning)
      }
      for dep in tk.dependsOn {
        if dep == tk.id {
          add("depends_on", "the ticket depends on itself")
        } else if !ids.contains(dep) {
          add("depends_on", "unknown ticket \(Self.q(dep))")
        }
      }
    }
    for cycle in Self.cycles(in: t.tickets) {
      let i = t.tickets.firstIndex { $0.id == cycle[0] } ?? 0
      out.append(
        file.diagnostic(
          [.key("tickets"), .index(i), .key("depends_on")],
          "dependency cycle: " + Self.path(of: cycle.map(TerminalSafe.escape)),
          subject: "ticket \(TerminalSafe.escape(cycle[0])) depends_on"))
    }
  }

  /// A cycle as a message shows it, back to its first ticket: `A → B → C → A`; a long one with its
  /// first 8 and last 3 tickets and how many between (a cycle of 100,000 tickets was a 1 MB line).
  public static func path(of cycle: [String]) -> String {
    guard let first = cycle.first else { return "" }
    let shown =
      cycle.count <= 12 ? cycle : Array(cycle.prefix(8)) + ["… \(cycle.count - 11) more …"] + cycle.suffix(3)
    return (shown + [first]).joined(separator: " → ")
  }

  /// Every dependency cycle among tickets, each once, starting at its ticket that comes first in the file.
  public static func cycles(in tickets: [Ticket]) -> [[String]] {
    let order = Dictionary(tickets.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { a, _ in a })
    let deps = Dictionary(
      tickets.map { ($0.id, $0.dependsOn.filter { order[$0] != nil }) }, uniquingKeysWith: { a, _ in a })
    var state: [String: Int] = [:]  // 1 = on the stack, 2 = done
    // A depth-first walk with a stack of its own: a chain of tens of thousands of tickets, each
    // depending on the next, overflowed the thread's stack when the walk was recursive.
    var stack: [(id: String, deps: [String], next: Int)] = []
    var found: [[String]] = []
    var seen: Set<[String]> = []
    func enter(_ id: String) {
      state[id] = 1
      stack.append((id, deps[id] ?? [], 0))
    }
    for t in tickets where state[t.id] == nil {
      enter(t.id)
      while let top = stack.last {
        guard top.next < top.deps.count else {
          state[top.id] = 2
          stack.removeLast()
          continue
        }
        stack[stack.count - 1].next += 1
        let d = top.deps[top.next]
        if d == top.id { continue }
        if state[d] == 1 {
          let from = stack.lastIndex { $0.id == d }!
          var cycle = stack[from...].map(\.id)
          let start = cycle.indices.min { order[cycle[$0]]! < order[cycle[$1]]! }!
          cycle = Array(cycle[start...] + cycle[..<start])
          if seen.insert(cycle).inserted { found.append(cycle) }
        } else if state[d] == nil {
          enter(d)
        }
      }
    }
    return found
  }

  // MARK: names

  /// Names that differ only by case are a trap for users: warn.
  mutating func nameClashes() {
    func check(_ names: [String], _ kind: ConfigFileKind, _ what: String) {
      var seen: [String: String] = [:]
      for n in names {
        let key = String(n.lowercased().trimmingSpaces)
        if let other = seen[key], other != n {
          let scope: Scope =
            ws.scopes[.project].map { d in
              (kind == .personas ? d.personas.map(\.name) : d.toolPresets.map(\.name)).contains(n) ? .project : .global
            } ?? .global
          warn(
            source(.file(kind, scope)), [.key(kind.collectionKey!), .key(n)],
            "\(what) \(Self.q(n)) differs from \(Self.q(other)) only by case or spaces")
        } else {
          seen[key] = n
        }
      }
    }
    check(config.personas.names, .personas, "persona")
    check(config.toolPresets.names, .toolPresets, "tool preset")
  }
}
