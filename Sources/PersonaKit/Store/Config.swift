/// Entries of one kind merged across scopes by name, in order: global entries first (a project
/// entry of the same name takes the global entry's place), then the project's own.
public struct NamedCollection<Value: Sendable>: Sendable {
  public private(set) var entries: [Scoped<Value>] = []
  private var index: [String: Int] = [:]
  /// The names, in order (kept: lists draw them every frame).
  public private(set) var names: [String] = []
  /// `(none)` and the names: the options of a dropdown where nothing is a choice.
  public var namesWithNone: [String] { withNone }
  private var withNone: [String] = ["(none)"]

  init(global: [Value], project: [Value], name: (Value) -> String) {
    // Sized once: growing the index rehashed every name at each doubling.
    let most = global.count + project.count
    entries.reserveCapacity(most)
    index.reserveCapacity(most)
    names.reserveCapacity(most)
    withNone.reserveCapacity(most + 1)
    for v in global {
      let n = name(v)
      if let i = index[n] {
        entries[i] = Scoped(v, scope: .global)
      } else {
        index[n] = entries.count
        entries.append(Scoped(v, scope: .global))
        names.append(n)
        withNone.append(n)
      }
    }
    for v in project {
      let n = name(v)
      if let i = index[n] {
        entries[i] = Scoped(v, scope: .project, shadowsGlobal: entries[i].scope == .global)
      } else {
        index[n] = entries.count
        entries.append(Scoped(v, scope: .project))
        names.append(n)
        withNone.append(n)
      }
    }
  }

  public subscript(name: String) -> Value? { index[name].map { entries[$0].value } }
  public func scoped(_ name: String) -> Scoped<Value>? { index[name].map { entries[$0] } }
  public func contains(_ name: String) -> Bool { index[name] != nil }
  /// Where `name` stands in `names` (a hash lookup, not a search).
  public func position(of name: String) -> Int? { index[name] }
  public var values: [Value] { entries.map(\.value) }
  public var count: Int { entries.count }
}

/// The merged, read-only view of a `Workspace` that validation, resolution and the UI read.
public struct Config: Sendable {
  public let personas: NamedCollection<Persona>
  public let presets: NamedCollection<SystemPromptPreset>
  public let toolPresets: NamedCollection<ToolPreset>
  public let biasProfiles: NamedCollection<BiasProfile>
  public let tools: NamedCollection<ToolDefinition>
  public let providers: NamedCollection<Provider>
  public let tracks: NamedCollection<Track>
  /// Tier assignments and default persona: a project's key replaces the global one.
  public let mma: MMAConfig
  /// The project's panel state when it has one, else the global one.
  public let aiSettings: AISettings
  /// Each kind of file that does not parse (in either scope), with its error: its entries may be
  /// missing from this view, and the screens say so instead of showing an empty list.
  public let unparsed: [ConfigFileKind: Diagnostic]
  /// The error of every file (tracks too) that does not parse or cannot be read, by path: such a
  /// file is read-only until it is fixed, and every screen says so.
  public let unparsedFiles: [Diagnostic]

  public init(_ ws: Workspace) {
    let g = ws.scopes[.global] ?? ScopeData()
    let p = ws.scopes[.project] ?? ScopeData()
    personas = NamedCollection(global: g.personas, project: p.personas, name: \.name)
    presets = NamedCollection(global: g.presets, project: p.presets, name: \.name)
    toolPresets = NamedCollection(global: g.toolPresets, project: p.toolPresets, name: \.name)
    biasProfiles = NamedCollection(global: g.biasProfiles, project: p.biasProfiles, name: \.name)
    tools = NamedCollection(global: g.tools, project: p.tools, name: \.name)
    providers = NamedCollection(global: g.providers, project: p.providers, name: \.name)
    tracks = NamedCollection(global: g.tracks, project: p.tracks, name: \.name)
    var mma = g.mma ?? MMAConfig()
    if let pm = p.mma {
      for (key, persona) in pm.tiers {
        mma.tiers.removeAll { $0.key == key }
        mma.tiers.append((key, persona))
      }
      if let d = pm.defaultPersona { mma.defaultPersona = d }
    }
    self.mma = mma
    aiSettings = p.aiSettings ?? g.aiSettings ?? AISettings()
    let broken = ws.files.compactMap { id, file in file.errorDiagnostic.map { (id, $0) } }
      .sorted { $0.1.file < $1.1.file }
    unparsedFiles = broken.map(\.1)
    var unparsed: [ConfigFileKind: Diagnostic] = [:]
    for (id, d) in broken {
      if let kind = id.kind, unparsed[kind] == nil { unparsed[kind] = d }
    }
    self.unparsed = unparsed
  }
}
