/// Resolution exactly as DATA.md says. The persona: the ticket's `persona_id`, else the track's,
/// else `mma.toml` `[tiers] tierN`, else `default_persona`, else none (then the AI Settings values).
/// Each model field: from the first layer that sets it — the ticket's `model_override` (model
/// only), the persona's `tier_assignments.tierN`, its `preferred_models[retry]` (the last one when
/// retry runs past the end), the system prompt preset, the provider's defaults.
public struct Resolver: Sendable {
  public let config: Config

  public init(_ config: Config) { self.config = config }

  public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
    case badTier(Int)
    case unknownTrack(String)
    case unknownTicket(track: String, ticket: String)
    case ticketWithoutTrack

    public var description: String {
      switch self {
      case .badTier(let n): return "tier \(n) does not exist: tiers are 1 to 4"
      case .unknownTrack(let t): return "no track named \(TerminalSafe.quoted(t))"
      case .unknownTicket(let t, let id):
        return "track \(TerminalSafe.quoted(t)) has no ticket \(TerminalSafe.quoted(id))"
      case .ticketWithoutTrack: return "--ticket needs --track"
      }
    }
  }

  /// Resolves by names: the track and ticket must exist. `tier` defaults to the ticket's tier.
  public func resolve(tier: Int?, track trackName: String? = nil, ticket ticketID: String? = nil, retry: Int? = nil)
    throws(Failure) -> ResolvedPersona
  {
    var track: Track?
    var ticket: Ticket?
    if let trackName {
      guard let t = config.tracks[trackName] else { throw .unknownTrack(trackName) }
      track = t
      if let ticketID {
        guard let tk = t.ticket(ticketID) else { throw .unknownTicket(track: trackName, ticket: ticketID) }
        ticket = tk
      }
    } else if ticketID != nil {
      throw .ticketWithoutTrack
    }
    let n = tier ?? ticket?.tier ?? 3
    guard (1...4).contains(n) else { throw .badTier(n) }
    return resolve(tier: n, track: track, ticket: ticket, retry: retry)
  }

  /// Chooses the persona of a worker, stepping over names that do not exist (with a warning).
  public func choosePersona(tier: Int, track: Track?, ticket: Ticket?) -> (String?, PersonaSource, [String]) {
    var warnings: [String] = []
    let candidates: [(String?, PersonaSource, String)] = [
      (ticket?.personaID, .ticketOverride, "ticket \(ticket?.id ?? "") persona_id"),
      (track?.personaID, .track, "track \(track?.name ?? "") persona_id"),
      (config.mma.persona(forTier: tier), .tierAssignment, "mma.toml tiers.tier\(tier)"),
      (config.mma.defaultPersona, .default, "mma.toml default_persona"),
    ]
    for (name, source, place) in candidates {
      guard let name, !name.isEmpty else { continue }
      if config.personas.contains(name) { return (name, source, warnings) }
      warnings.append("\(place) names persona \(TerminalSafe.quoted(name)), which does not exist; skipped")
    }
    return (nil, .none, warnings)
  }

  public func resolve(tier: Int, track: Track?, ticket: Ticket?, retry: Int? = nil) -> ResolvedPersona {
    let (name, source, warnings) = choosePersona(tier: tier, track: track, ticket: ticket)
    return resolve(name, source: source, warnings: warnings, tier: tier, track: track, ticket: ticket, retry: retry)
  }

  /// One persona on its own, as an agent tool would run it (an export): no tier, track or
  /// ticket; `retry` picks the preferred model (0: the first).
  public func resolve(persona name: String, retry: Int = 0) -> ResolvedPersona {
    // (Tier 0 names no tier assignment: the persona's tier overrides do not apply.)
    resolve(name, source: .default, warnings: [], tier: 0, track: nil, ticket: nil, retry: retry)
  }

  func resolve(
    _ name: String?, source: PersonaSource, warnings: [String], tier: Int, track: Track?, ticket: Ticket?,
    retry: Int?
  ) -> ResolvedPersona {
    var source = source
    var warnings = warnings
    let k = max(0, retry ?? ticket?.retryCount ?? 0)

    // With no persona, the AI Settings panel's values apply: its unbound overrides, then the
    // persona it is bound to.
    var ai: ModelSettings?
    var aiPersona: String?
    var layerPersonaName = name
    if name == nil {
      ai = config.aiSettings.modelOverrides
      if let bound = config.aiSettings.personaID, !bound.isEmpty {
        if config.personas.contains(bound) {
          aiPersona = bound
          layerPersonaName = bound
        } else {
          warnings.append("ai_settings.toml persona \(TerminalSafe.quoted(bound)) does not exist; skipped")
        }
      }
    }
    let persona = layerPersonaName.flatMap { config.personas[$0] }

    // The model layers in order, each with its origin.
    var layers: [(ModelSettings, FieldOrigin)] = []
    if let ticket, let m = ticket.modelOverride, !m.isEmpty {
      layers.append((ModelSettings(model: m), .modelOverride(ticket: ticket.id)))
    }
    if let ai { layers.append((ai, .aiSettings)) }
    if let persona {
      if let t = persona.tierAssignment(tier) {
        layers.append((t, .tierAssignment(persona: persona.name, tier: tier)))
      }
      if !persona.preferredModels.isEmpty {
        let i = min(k, persona.preferredModels.count - 1)
        layers.append((persona.preferredModels[i], .preferredModel(persona: persona.name, index: i)))
      }
    }
    let presetName = first(
      [
        (ai == nil ? nil : config.aiSettings.overrides["system_prompt_preset_id"]?.stringValue, .aiSettings),
        (persona?.systemPromptPresetID, .persona(persona?.name ?? "")),
      ])
    var preset: SystemPromptPreset?
    if let p = presetName.value {
      preset = config.presets[p]
      if preset == nil { warnings.append("system prompt preset \(TerminalSafe.quoted(p)) does not exist; skipped") }
    }
    if let preset {
      layers.append(
        (
          ModelSettings(temperature: preset.temperature, topP: preset.topP, maxOutputTokens: preset.maxOutputTokens),
          .preset(preset.name)
        ))
    }

    func pick<V: Sendable & Equatable>(_ field: (ModelSettings) -> V?) -> Resolved<V> {
      for (settings, origin) in layers { if let v = field(settings) { return Resolved(v, origin) } }
      return .unset
    }

    var provider = pick(\.provider)
    // A model set without its provider (a ticket's model_override, a tier assignment naming only
    // a model) by a layer above the one that chose the provider moves to the provider that lists
    // it (`Config.provider(serving:current:)`). A provider chosen above the model (AI Settings)
    // stays the user's choice; validation warns when it does not list the model.
    if let mi = layers.firstIndex(where: { $0.0.model != nil }), layers[mi].0.provider == nil,
      let m = layers[mi].0.model,
      layers.firstIndex(where: { $0.0.provider != nil }).map({ $0 > mi }) ?? true,
      let moved = config.provider(serving: m, current: provider.value), moved != provider.value
    {
      provider = Resolved(moved, .modelCatalog(model: m))
    }
    if let p = provider.value, let catalog = config.providers[p] {
      layers.append((catalog.defaults, .providerDefault(provider: p)))
    }

    let toolPreset = first(
      [
        (ai == nil ? nil : config.aiSettings.overrides["tool_preset_id"]?.stringValue, .aiSettings),
        (persona?.toolPresetID, .persona(persona?.name ?? "")),
      ])
    let biasProfile = first(
      [
        (ai == nil ? nil : config.aiSettings.overrides["bias_profile_id"]?.stringValue, .aiSettings),
        (persona?.biasProfileID, .persona(persona?.name ?? "")),
      ])
    let toolPresetValue = toolPreset.value.flatMap { config.toolPresets[$0] }
    if let t = toolPreset.value, toolPresetValue == nil {
      warnings.append("tool preset \(TerminalSafe.quoted(t)) does not exist; skipped")
    }
    let profileValue = biasProfile.value.flatMap { config.biasProfiles[$0] }
    if let b = biasProfile.value, profileValue == nil {
      warnings.append("bias profile \(TerminalSafe.quoted(b)) does not exist; skipped")
    }
    let tools = ToolNudging.tools(preset: toolPresetValue, profile: profileValue, catalog: config.tools)

    var parts: [PromptPart] = []
    if let preset, !preset.systemPrompt.isEmpty {
      parts.append(PromptPart(origin: .preset(preset.name), kind: "preset", text: preset.systemPrompt))
    }
    if let persona, let own = persona.systemPrompt, !own.isEmpty {
      parts.append(PromptPart(origin: .persona(persona.name), kind: "persona", text: own))
    }
    if let strategy = ToolNudging.strategy(tools, profile: profileValue) {
      parts.append(PromptPart(origin: .biasProfile(profileValue!.name), kind: "tooling_strategy", text: strategy))
    }

    if name == nil { source = .none }
    return ResolvedPersona(
      tier: tier, track: track?.name, ticket: ticket?.id, retry: k, personaName: name, source: source,
      aiSettingsPersona: aiPersona, provider: provider, model: pick(\.model), temperature: pick(\.temperature),
      topP: pick(\.topP), maxOutputTokens: pick(\.maxOutputTokens), systemPromptPresetID: presetName,
      toolPresetID: toolPreset, biasProfileID: biasProfile, promptParts: parts, tools: tools, warnings: warnings)
  }

  private func first(_ options: [(String?, FieldOrigin)]) -> Resolved<String> {
    for (v, origin) in options { if let v, !v.isEmpty { return Resolved(v, origin) } }
    return .unset
  }
}
