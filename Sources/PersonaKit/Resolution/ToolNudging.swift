/// A tool as a worker gets it: its approval and a description nudged by the bias profile.
public struct EffectiveTool: Sendable, Equatable {
  public var name: String
  public var category: String
  /// `auto` or `ask`.
  public var approval: String
  /// The weight before the profile's category multiplier (the profile's `tool_weights`, else the
  /// preset's `weight`).
  public var baseWeight: Int
  public var effectiveWeight: Double
  /// `HIGH PRIORITY`, `PREFERRED`, `LOW PRIORITY`, or nil.
  public var priority: String?
  /// The catalog description with the priority tag in front.
  public var description: String
  public var parameterBias: [String: String]
}

/// Semantic nudging (DATA.md): effective weight = (profile's tool weight, else the tool's own
/// weight) × the profile's multiplier for the tool's category. With no bias profile, tools keep
/// their catalog descriptions and no tooling strategy is written.
public enum ToolNudging {
  /// Effective weights at or above this get `[HIGH PRIORITY]`.
  public static let highPriority = 5.0
  /// At or above this (and below high): `[PREFERRED]`.
  public static let preferred = 4.0
  /// At or below this: `[LOW PRIORITY]`.
  public static let lowPriority = 2.0

  public static func priority(for weight: Double) -> String? {
    if weight >= highPriority { return "HIGH PRIORITY" }
    if weight >= preferred { return "PREFERRED" }
    if weight <= lowPriority { return "LOW PRIORITY" }
    return nil
  }

  public static func tools(preset: ToolPreset?, profile: BiasProfile?, catalog: NamedCollection<ToolDefinition>)
    -> [EffectiveTool]
  {
    guard let preset else { return [] }
    return preset.allTools.map { category, grant in
      let catalogEntry = catalog[grant.name]
      let baseDescription = catalogEntry?.description ?? ""
      let base = profile?.toolWeights[grant.name] ?? grant.weight
      let multiplier = profile?.categoryMultipliers[category] ?? 1.0
      let effective = Double(base) * multiplier
      let tag = profile == nil ? nil : priority(for: effective)
      let description = tag.map { "[\($0)] " + baseDescription } ?? baseDescription
      return EffectiveTool(
        name: grant.name, category: category, approval: grant.approval, baseWeight: base, effectiveWeight: effective,
        priority: tag, description: description,
        parameterBias: Dictionary(grant.parameterBias.map { ($0.parameter, $0.bias) }, uniquingKeysWith: { $1 }))
    }
  }

  /// The "Tooling strategy" section appended to the system prompt, or nil without a bias profile.
  public static func strategy(_ tools: [EffectiveTool], profile: BiasProfile?) -> String? {
    guard let profile, !tools.isEmpty else { return nil }
    let ordered = tools.sorted {
      $0.effectiveWeight != $1.effectiveWeight ? $0.effectiveWeight > $1.effectiveWeight : $0.name < $1.name
    }
    var lines = ["## Tooling strategy (\(profile.name))"]
    let preferred = ordered.filter { $0.effectiveWeight > lowPriority }
    let low = ordered.filter { $0.effectiveWeight <= lowPriority }
    if !preferred.isEmpty {
      lines.append("Prefer these tools, in this order:")
      for (n, t) in preferred.enumerated() {
        lines.append("\(n + 1). \(t.name)\(t.priority.map { " [\($0)]" } ?? "")\(hints(t))")
      }
    }
    if !low.isEmpty {
      lines.append("Use only when nothing else fits: " + low.map { $0.name + hints($0) }.joined(separator: ", "))
    }
    let asking = ordered.filter { $0.approval == "ask" }.map(\.name)
    if !asking.isEmpty { lines.append("Needs confirmation before it runs: " + asking.joined(separator: ", ")) }
    return lines.joined(separator: "\n")
  }

  private static func hints(_ t: EffectiveTool) -> String {
    let prefer = t.parameterBias.filter { $0.value == "preferred" }.keys.sorted()
    let avoid = t.parameterBias.filter { $0.value == "discouraged" }.keys.sorted()
    var parts: [String] = []
    if !prefer.isEmpty { parts.append("set " + prefer.joined(separator: ", ")) }
    if !avoid.isEmpty { parts.append("avoid " + avoid.joined(separator: ", ")) }
    return parts.isEmpty ? "" : " (" + parts.joined(separator: "; ") + ")"
  }
}
