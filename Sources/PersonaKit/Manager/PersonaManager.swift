/// Create, read, update, delete, rename and duplicate personas, system prompt presets, tool
/// presets and bias profiles, keeping every reference true:
/// - deleting an entry that is in use is refused with the list of its users, unless forced; a
///   forced delete clears those references (the list says which);
/// - renaming updates every reference (personas, mma.toml, tracks, ai_settings.toml) in one step.
/// Every change checks all the files it touches before writing any of them.
public struct PersonaManager: Sendable {
  public private(set) var workspace: Workspace {
    didSet {
      config = workspace.config
      generation &+= 1
    }
  }

  /// Changes whenever the workspace does (a save, a reload): what was computed from an older
  /// generation is stale.
  public private(set) var generation = 0

  /// The merged view, computed once per change of the workspace (the app reads it many times a
  /// frame; building it walks every entry).
  public private(set) var config: Config

  public init(_ workspace: Workspace) {
    self.workspace = workspace
    config = workspace.config
  }

  // MARK: Reading

  public func scopeOf(_ kind: EntryKind, _ name: String) -> Scope? {
    for scope in [Scope.project, .global] {
      if names(kind, in: scope).contains(name) { return scope }
    }
    return nil
  }

  func names(_ kind: EntryKind, in scope: Scope) -> [String] {
    guard let d = workspace.scopes[scope] else { return [] }
    switch kind {
    case .persona: return d.personas.map(\.name)
    case .preset: return d.presets.map(\.name)
    case .toolPreset: return d.toolPresets.map(\.name)
    case .biasProfile: return d.biasProfiles.map(\.name)
    }
  }

  /// Every place that names the entry, in every scope.
  public func references(_ kind: EntryKind, _ name: String) -> [Reference] {
    var refs: [Reference] = []
    for scope in Scope.allCases {
      guard let data = workspace.scopes[scope] else { continue }
      Self.forEachReference(in: data, scope, kind) { n, ref in if n == name { refs.append(ref) } }
    }
    return refs
  }

  // MARK: Changing

  /// Adds a new entry to a scope. Refused when the name is taken in that scope or is empty.
  public mutating func create<T: NamedEntry>(_ entry: T, _ kind: EntryKind, scope: Scope) throws(ConfigError) {
    try checkNewName(entry.name, kind, scope: scope)
    var ws = workspace
    guard ws.paths.directory(scope) != nil else { throw .noProjectDir }
    var data = ws.scopes[scope] ?? ScopeData()
    Self.modify(&data, kind) { (list: inout [T]) in list.append(entry) }
    ws.scopes[scope] = data
    try commit(
      ws, [.file(kind.fileKind, scope)], personas: (entry as? Persona).map { [($0, nil)] },
      summary: "create \(kind.label) \(TerminalSafe.quoted(entry.name))")
  }

  /// Replaces an entry (same name) in the scope it lives in.
  public mutating func update<T: NamedEntry>(_ entry: T, _ kind: EntryKind) throws(ConfigError) {
    guard let scope = scopeOf(kind, entry.name) else { throw notFound(kind, entry.name) }
    var ws = workspace
    var data = ws.scopes[scope]!
    Self.modify(&data, kind) { (list: inout [T]) in
      if let i = list.firstIndex(where: { $0.name == entry.name }) { list[i] = entry }
    }
    ws.scopes[scope] = data
    let old = workspace.scopes[scope]?.personas.first { $0.name == entry.name }
    try commit(
      ws, [.file(kind.fileKind, scope)], personas: (entry as? Persona).map { [($0, old)] },
      summary: "change \(kind.label) \(TerminalSafe.quoted(entry.name))")
  }

  /// Deletes an entry. In use → refused with the users, unless `force`; then the references are
  /// cleared and returned.
  @discardableResult
  public mutating func delete(_ kind: EntryKind, _ name: String, force: Bool = false) throws(ConfigError)
    -> [Reference]
  {
    guard let scope = scopeOf(kind, name) else { throw notFound(kind, name) }
    try checkReferenceFilesReadable(kind, name)
    let users = references(kind, name)
    if !users.isEmpty && !force {
      throw .inUse(kind: kind.label, name: name, users: users.map(\.place))
    }
    var ws = workspace
    var data = ws.scopes[scope]!
    Self.remove(&data, kind, name)
    ws.scopes[scope] = data
    // When a global entry of the same name shows through, the references still hold.
    var touched: [ConfigFileID] = [.file(kind.fileKind, scope)]
    var cleared: [Reference] = []
    if force && !Self.visible(ws, kind, name) {
      cleared = Self.rewrite(&ws, kind, name, to: nil)
      touched += cleared.map(\.file)
    }
    try commit(
      ws, touched,
      summary: "delete \(kind.label) \(TerminalSafe.quoted(name))"
        + (cleared.isEmpty ? "" : " and clear \(cleared.count) reference\(cleared.count == 1 ? "" : "s")"))
    return cleared
  }

  /// Renames an entry and every reference to it, in one step. Returns the references updated.
  @discardableResult
  public mutating func rename(_ kind: EntryKind, _ old: String, to new: String) throws(ConfigError) -> [Reference] {
    guard let scope = scopeOf(kind, old) else { throw notFound(kind, old) }
    if old == new {
      throw .invalid("the \(kind.label) is already named \(TerminalSafe.quoted(new)): nothing to rename")
    }
    try checkNewName(new, kind, scope: nil)
    try checkReferenceFilesReadable(kind, old)
    var ws = workspace
    var data = ws.scopes[scope]!
    Self.rename(&data, kind, old, new)
    ws.scopes[scope] = data
    var updated: [Reference] = []
    if !Self.visible(ws, kind, old) {
      updated = Self.rewrite(&ws, kind, old, to: new)
    }
    try commit(
      ws, [.file(kind.fileKind, scope)] + updated.map(\.file), renamed: (kind.fileKind, old, new),
      summary: "rename \(kind.label) \(TerminalSafe.quoted(old)) → \(TerminalSafe.quoted(new))")
    return updated
  }

  /// Copies an entry under a new name (default: "NAME (copy)", "NAME (copy 2)", …) into the same
  /// scope, right after the original. Returns the new name.
  @discardableResult
  public mutating func duplicate(_ kind: EntryKind, _ name: String, as newName: String? = nil) throws(ConfigError)
    -> String
  {
    guard let scope = scopeOf(kind, name) else { throw notFound(kind, name) }
    let target = newName ?? freeName(kind, base: "\(name) (copy)")
    try checkNewName(target, kind, scope: nil)
    var ws = workspace
    var data = ws.scopes[scope]!
    Self.duplicate(&data, kind, name, target)
    ws.scopes[scope] = data
    try commit(
      ws, [.file(kind.fileKind, scope)],
      personas: kind == .persona ? data.personas.filter { $0.name == target }.map { ($0, nil) } : nil,
      summary: "duplicate \(kind.label) \(TerminalSafe.quoted(name)) as \(TerminalSafe.quoted(target))")
    return target
  }

  /// Sets the persona of a tier in `mma.toml` (nil clears it), in the given scope.
  public mutating func assignTier(_ tier: Int, persona: String?, scope: Scope = .global) throws(ConfigError) {
    guard (1...4).contains(tier) else { throw .invalid("tier \(tier) does not exist: tiers are 1 to 4") }
    if let persona, !config.personas.contains(persona) { throw notFound(.persona, persona) }
    var ws = workspace
    var data = ws.scopes[scope] ?? ScopeData()
    var mma = data.mma ?? MMAConfig()
    mma.assign(tier: tier, persona: persona)
    data.mma = mma
    ws.scopes[scope] = data
    try commit(ws, [.file(.mma, scope)], summary: "tier \(tier): \(persona.map(TerminalSafe.quoted) ?? "no persona")")
  }

  /// The errors saving this persona would add (replacing the persona of the same name, or
  /// `replacing` when it is being renamed): what `Rules` refuses, for a screen to show before it
  /// saves. A problem the persona already had, or a wrong type in its file that the save keeps
  /// as it was, is not among them.
  public func problems(for persona: Persona, replacing: String? = nil) -> [Diagnostic] {
    Rules.errorsAdded(
      persona: persona, replacing: config.personas[replacing ?? persona.name], in: workspace, config: config)
  }

  /// Replaces a track (same name) in the scope it lives in and saves its file.
  public mutating func saveTrack(_ track: Track) throws(ConfigError) {
    guard let scope = config.tracks.scoped(track.name)?.scope else { throw .notFound(kind: "track", name: track.name) }
    var ws = workspace
    var data = ws.scopes[scope]!
    guard let i = data.tracks.firstIndex(where: { $0.name == track.name }) else {
      throw .notFound(kind: "track", name: track.name)
    }
    data.tracks[i] = track
    ws.scopes[scope] = data
    try commit(ws, [.track(track.name, scope)], summary: "change track \(TerminalSafe.quoted(track.name))")
  }

  /// Saves the AI Settings panel's state: to the project's `ai_settings.toml` when the project has
  /// one, else to the global one.
  public mutating func saveAISettings(_ settings: AISettings) throws(ConfigError) {
    let scope: Scope = workspace.scopes[.project]?.aiSettings != nil ? .project : .global
    var ws = workspace
    var data = ws.scopes[scope] ?? ScopeData()
    data.aiSettings = settings
    ws.scopes[scope] = data
    try commit(ws, [.file(.aiSettings, scope)], summary: "change AI Settings")
  }

  /// Adds personas (or, with `replace`, replaces those of the same name in `scope`) in one save.
  /// Every persona goes through the rules of `create`; when any is refused, nothing is written and
  /// the error lists every refused persona and why.
  /// `toolPresets`: new tool presets the personas name (an agent file's tools), added with them
  /// in one change; a preset of the same name in the scope is kept when it grants the same.
  public mutating func importPersonas(
    _ personas: [Persona], toolPresets: [ToolPreset] = [], scope: Scope, replace: Bool
  ) throws(ConfigError) {
    var problems: [Diagnostic] = []
    var seen: Set<String> = []
    for p in personas {
      let subject = "[personas.\(TOMLWriter.formatKey(p.name))]"
      func refuse(_ message: String) {
        problems.append(Diagnostic(file: "", subject: subject, message: message))
      }
      do {
        try checkNewName(p.name, .persona, scope: nil, allowTakenIn: replace ? scope : nil)
      } catch {
        refuse(error.description)
      }
      if !seen.insert(p.name).inserted { refuse("the file names this persona twice") }
    }
    if !problems.isEmpty { throw .refused(problems) }
    var ws = workspace
    guard ws.paths.directory(scope) != nil else { throw .noProjectDir }
    var data = ws.scopes[scope] ?? ScopeData()
    var pairs: [(Persona, Persona?)] = []
    for p in personas {
      if let i = data.personas.firstIndex(where: { $0.name == p.name }) {
        pairs.append((p, data.personas[i]))
        data.personas[i] = p
      } else {
        pairs.append((p, nil))
        data.personas.append(p)
      }
    }
    var files: [ConfigFileID] = [.file(.personas, scope)]
    for t in toolPresets {
      if let existing = data.toolPresets.first(where: { $0.name == t.name }) {
        if existing.categories != t.categories {
          throw .refused([
            Diagnostic(
              file: "", subject: "[tool_presets.\(TOMLWriter.formatKey(t.name))]",
              message: "a tool preset of this name exists with other tools: rename it first")
          ])
        }
        continue
      }
      data.toolPresets.append(t)
      if files.count == 1 { files.append(.file(.toolPresets, scope)) }
    }
    ws.scopes[scope] = data
    // (With new tool presets the whole change is checked: the personas name them.)
    try commit(
      ws, files, personas: files.count == 1 ? pairs : nil,
      summary: "import \(personas.count) persona\(personas.count == 1 ? "" : "s")")
  }

  /// Writes a changed workspace, if the rules allow: the change may add no validation error
  /// (`Rules`). Every write of the configuration's entries goes through here.
  /// `personas`: the personas the change adds or replaces (with what they replace), when that is
  /// all it changes — then only they are checked.
  private mutating func commit(
    _ changed: Workspace, _ files: [ConfigFileID], personas: [(new: Persona, old: Persona?)]? = nil,
    renamed: (kind: ConfigFileKind, old: String, new: String)? = nil, summary: String
  ) throws(ConfigError) {
    let added =
      personas.map { list in
        list.flatMap { Rules.errorsAdded(persona: $0.new, replacing: $0.old, in: workspace, config: config) }
      } ?? Rules.errorsAdded(from: workspace, to: changed, in: files, renamed: renamed)
    if !added.isEmpty { throw .refused(added) }
    var ws = changed
    try ws.save(files, summary: summary)
    workspace = ws
  }

  /// What a change would do to the files, without writing any: each file it would write, with
  /// the bytes on disk and the bytes it would leave (`Workspace.previewed`); the change's own
  /// error when it would be refused. The same saves run as for the change itself, so what is
  /// shown is what a save writes.
  public func preview(
    _ change: (inout PersonaManager) throws(ConfigError) -> Void
  ) -> Result<[History.FileChange], ConfigError> {
    var copy = self
    copy.workspace.previewed = []
    do {
      try change(&copy)
    } catch {
      return .failure(error)
    }
    return .success(copy.workspace.previewed ?? [])
  }

  /// "no persona named …", with the nearest name when one is close (`worker` → "Worker"); when
  /// the kind's file does not parse, that is the reason instead (the entry may be in it).
  public func notFound(_ kind: EntryKind, _ name: String) -> ConfigError {
    if let d = config.unparsed[kind.fileKind] {
      return .readOnly(path: d.file, reason: "line \(d.line ?? 0), column \(d.column ?? 0): \(d.message)")
    }
    let names = names(kind, in: .global) + names(kind, in: .project)
    return .notFound(kind: kind.label, name: name, suggestion: Suggest.nearest(name, among: names))
  }

  /// Replaces the workspace with what is on disk now (after an outside change).
  public mutating func reload() {
    workspace = workspace.reloaded()
    // The previous configuration is free now; malloc would keep its memory for the rest of the run.
    returnFreeMemory()
  }

  /// A name of the form "base", "base 2", "base 3"… that no entry of the kind has.
  public func freeName(_ kind: EntryKind, base: String) -> String {
    let taken = Set(names(kind, in: .global) + names(kind, in: .project))
    if !taken.contains(base) { return base }
    var n = 2
    while true {
      let candidate = base.hasSuffix(")") ? "\(base.dropLast()) \(n))" : "\(base) \(n)"
      if !taken.contains(candidate) { return candidate }
      n += 1
    }
  }

  /// References in a file that does not parse cannot be seen, so a rename or delete could leave
  /// them dangling: refuse until the file is fixed.
  private func checkReferenceFilesReadable(_ kind: EntryKind, _ name: String) throws(ConfigError) {
    for (id, file) in workspace.files.sorted(by: { $0.value.path < $1.value.path }) where !file.isWritable {
      let holdsReferences: Bool
      switch id {
      case .file(let k, _):
        holdsReferences =
          k == .aiSettings || (kind == .persona ? k == .mma : k == .personas) || k == kind.fileKind
      case .track: holdsReferences = kind == .persona
      }
      if holdsReferences {
        throw .readOnly(
          path: file.path,
          reason: "it may name the \(kind.label) \(TerminalSafe.quoted(name)); fix the file first")
      }
    }
  }

  /// The rules of a new name: not empty, no control characters, not taken (in `scope`, or in
  /// either scope when nil; a name taken in `allowTakenIn` is allowed: it is being replaced).
  private func checkNewName(_ name: String, _ kind: EntryKind, scope: Scope?, allowTakenIn: Scope? = nil)
    throws(ConfigError)
  {
    if name.trimmingSpaces.isEmpty {
      throw .invalid("a \(kind.label) needs a name that is not empty")
    }
    if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
      throw .invalid("a \(kind.label) name cannot hold control characters")
    }
    for s in scope.map({ [$0] }) ?? Scope.allCases where s != allowTakenIn && names(kind, in: s).contains(name) {
      throw .alreadyExists(kind: kind.label, name: name, scope: s)
    }
  }

  // MARK: The lists of a scope, by kind

  static func visible(_ ws: Workspace, _ kind: EntryKind, _ name: String) -> Bool {
    let c = ws.config
    switch kind {
    case .persona: return c.personas.contains(name)
    case .preset: return c.presets.contains(name)
    case .toolPreset: return c.toolPresets.contains(name)
    case .biasProfile: return c.biasProfiles.contains(name)
    }
  }

  static func modify<T>(_ data: inout ScopeData, _ kind: EntryKind, _ body: (inout [T]) -> Void) {
    switch kind {
    case .persona: if var l = data.personas as? [T] { body(&l); data.personas = l as! [Persona] }
    case .preset: if var l = data.presets as? [T] { body(&l); data.presets = l as! [SystemPromptPreset] }
    case .toolPreset: if var l = data.toolPresets as? [T] { body(&l); data.toolPresets = l as! [ToolPreset] }
    case .biasProfile: if var l = data.biasProfiles as? [T] { body(&l); data.biasProfiles = l as! [BiasProfile] }
    }
  }

  static func remove(_ data: inout ScopeData, _ kind: EntryKind, _ name: String) {
    switch kind {
    case .persona: data.personas.removeAll { $0.name == name }
    case .preset: data.presets.removeAll { $0.name == name }
    case .toolPreset: data.toolPresets.removeAll { $0.name == name }
    case .biasProfile: data.biasProfiles.removeAll { $0.name == name }
    }
  }

  static func rename(_ data: inout ScopeData, _ kind: EntryKind, _ old: String, _ new: String) {
    func go<T: NamedEntry>(_ list: inout [T]) {
      for i in list.indices where list[i].name == old { list[i].name = new }
    }
    switch kind {
    case .persona: go(&data.personas)
    case .preset: go(&data.presets)
    case .toolPreset: go(&data.toolPresets)
    case .biasProfile: go(&data.biasProfiles)
    }
  }

  static func duplicate(_ data: inout ScopeData, _ kind: EntryKind, _ name: String, _ new: String) {
    func go<T: NamedEntry>(_ list: inout [T]) {
      guard let i = list.firstIndex(where: { $0.name == name }) else { return }
      var copy = list[i]
      copy.name = new
      list.insert(copy, at: i + 1)
    }
    switch kind {
    case .persona: go(&data.personas)
    case .preset: go(&data.presets)
    case .toolPreset: go(&data.toolPresets)
    case .biasProfile: go(&data.biasProfiles)
    }
  }

  /// Every reference to an entry of `kind` in one scope, with the name it refers to, in the order
  /// `references` lists them.
  static func forEachReference(
    in data: ScopeData, _ scope: Scope, _ kind: EntryKind, _ visit: (String, Reference) -> Void
  ) {
    let prefix = scope == .project ? "project " : ""
    if kind == .persona {
      if let mma = data.mma {
        for tier in mma.tiers {
          visit(tier.persona, Reference(file: .file(.mma, scope), place: "\(prefix)mma.toml \(tier.key)"))
        }
        if let p = mma.defaultPersona {
          visit(p, Reference(file: .file(.mma, scope), place: "\(prefix)mma.toml default_persona"))
        }
      }
      if let p = data.aiSettings?.personaID {
        visit(p, Reference(file: .file(.aiSettings, scope), place: "\(prefix)ai_settings.toml persona"))
      }
      for track in data.tracks {
        if let p = track.personaID {
          visit(p, Reference(file: .track(track.name, scope), place: "\(prefix)track \(track.name) persona_id"))
        }
        for ticket in track.tickets {
          if let p = ticket.personaID {
            visit(
              p,
              Reference(
                file: .track(track.name, scope),
                place: "\(prefix)track \(track.name) ticket \(TerminalSafe.escape(ticket.id))"))
          }
        }
      }
    } else if let field = kind.personaField, let key = kind.overrideKey {
      for persona in data.personas {
        if let v = persona[keyPath: field] {
          visit(
            v, Reference(file: .file(.personas, scope), place: "\(prefix)persona \(TerminalSafe.quoted(persona.name))"))
        }
      }
      if let v = data.aiSettings?.overrides[key]?.stringValue {
        visit(v, Reference(file: .file(.aiSettings, scope), place: "\(prefix)ai_settings.toml overrides.\(key)"))
      }
    }
  }

  /// Every entry of `kind` that something refers to, with its references: one pass over the
  /// configuration (for lists that show the users of every entry).
  public func allReferences(_ kind: EntryKind) -> [String: [Reference]] {
    var out: [String: [Reference]] = [:]
    for scope in Scope.allCases {
      guard let data = workspace.scopes[scope] else { continue }
      Self.forEachReference(in: data, scope, kind) { name, ref in out[name, default: []].append(ref) }
    }
    return out
  }

  /// Rewrites every reference to `old` to `new` (clears it when `new` is nil); returns them.
  static func rewrite(_ ws: inout Workspace, _ kind: EntryKind, _ old: String, to new: String?) -> [Reference] {
    var refs: [Reference] = []
    for scope in Scope.allCases {
      guard var data = ws.scopes[scope] else { continue }
      forEachReference(in: data, scope, kind) { name, ref in if name == old { refs.append(ref) } }
      if kind == .persona {
        if var mma = data.mma {
          if mma.defaultPersona == old { mma.defaultPersona = new }
          if let new {
            for i in mma.tiers.indices where mma.tiers[i].persona == old { mma.tiers[i].persona = new }
          } else {
            mma.tiers.removeAll { $0.persona == old }
          }
          data.mma = mma
        }
        if data.aiSettings?.personaID == old { data.aiSettings?.personaID = new }
        for t in data.tracks.indices {
          if data.tracks[t].personaID == old { data.tracks[t].personaID = new }
          for k in data.tracks[t].tickets.indices where data.tracks[t].tickets[k].personaID == old {
            data.tracks[t].tickets[k].personaID = new
          }
        }
      } else if let field = kind.personaField, let key = kind.overrideKey {
        for i in data.personas.indices where data.personas[i][keyPath: field] == old {
          data.personas[i][keyPath: field] = new
        }
        if data.aiSettings?.overrides[key]?.stringValue == old {
          data.aiSettings?.overrides[key] = new.map(TOMLNode.string)
        }
      }
      ws.scopes[scope] = data
    }
    return refs
  }
}
