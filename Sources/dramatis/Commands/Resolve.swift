import ArgumentParser
import PersonaKit

struct Resolve: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "resolve",
    abstract: "Show the effective persona of a tier, or of a ticket.",
    discussion: "With --blame, names the layer every field came from (see docs/file-formats.md, Resolution).")
  @OptionGroup var global: GlobalOptions
  @Option(help: "The tier, 1 to 4 (default: the ticket's tier).") var tier: Int?
  @Option(help: "The track (a file name under tracks/, without .toml).") var track: String?
  @Option(help: "A ticket id of the track.") var ticket: String?
  @Option(help: "The retry count (default: the ticket's retry_count, else 0).") var retry: Int?
  @Flag(help: "Print JSON.") var json = false
  @Flag(help: "Name where each field came from.") var blame = false

  func validate() throws {
    if tier == nil && ticket == nil { throw ValidationError("give --tier N, or --track T --ticket ID") }
    if let retry, retry < 0 { throw ValidationError("--retry cannot be negative") }
  }

  func run() throws {
    try reporting {
      let ws = try global.workspace()
      let r = try Resolver(ws.config).resolve(tier: tier, track: track, ticket: ticket, retry: retry)
      if json {
        Output.json(ResolvedJSON.object(r, blame: blame))
      } else {
        Output.print(ResolvedText.render(r, blame: blame))
      }
    }
  }
}

enum ResolvedJSON {
  static func object(_ r: ResolvedPersona, blame: Bool) -> JSONValue {
    func field<V>(_ f: Resolved<V>, _ value: (V) -> JSONValue) -> JSONValue {
      let v = f.value.map(value) ?? .null
      guard blame else { return v }
      return .object([
        ("value", v), ("origin", .string(f.origin.kind)), ("layer", .optional(f.origin.layer)),
        ("from", .string(f.origin.description)),
      ])
    }
    let str: (String) -> JSONValue = { .string($0) }
    let num: (Double) -> JSONValue = { .number($0) }
    var pairs: [(String, JSONValue)] = [
      ("tier", .number(Double(r.tier))), ("track", .optional(r.track)), ("ticket", .optional(r.ticket)),
      ("retry", .number(Double(r.retry))),
      (
        "persona",
        .object([
          ("name", .optional(r.personaName)), ("source", .string(r.source.rawValue)),
          ("ai_settings_persona", .optional(r.aiSettingsPersona)),
        ])
      ),
      ("provider", field(r.provider, str)), ("model", field(r.model, str)),
      ("temperature", field(r.temperature, num)), ("top_p", field(r.topP, num)),
      ("max_output_tokens", field(r.maxOutputTokens) { .number(Double($0)) }),
      ("system_prompt_preset_id", field(r.systemPromptPresetID, str)),
      ("tool_preset_id", field(r.toolPresetID, str)), ("bias_profile_id", field(r.biasProfileID, str)),
      ("system_prompt", .string(r.systemPrompt)),
    ]
    if blame {
      pairs.append(
        (
          "system_prompt_parts",
          .array(
            r.promptParts.map {
              .object([
                ("kind", .string($0.kind)), ("from", .string($0.origin.description)), ("text", .string($0.text)),
              ])
            })
        ))
    }
    pairs.append(
      (
        "tools",
        .array(
          r.tools.map {
            .object([
              ("name", .string($0.name)), ("category", .string($0.category)), ("approval", .string($0.approval)),
              ("weight", .number(Double($0.baseWeight))), ("effective_weight", .number($0.effectiveWeight)),
              ("priority", .optional($0.priority)), ("description", .string($0.description)),
            ])
          })
      ))
    pairs.append(("warnings", .array(r.warnings.map(JSONValue.string))))
    return .object(pairs)
  }
}

enum ResolvedText {
  static func render(_ r: ResolvedPersona, blame: Bool) -> String {
    var head = "tier \(r.tier) (\(MMAConfig.tierRoles[r.tier] ?? "?"))"
    if let t = r.track { head += ", track \(t)" }
    if let t = r.ticket { head += ", ticket \(t)" }
    head += ", retry \(r.retry)"
    var lines = ["Effective persona for \(head)"]
    var table = TextTable(header: blame ? ["FIELD", "VALUE", "FROM"] : ["FIELD", "VALUE"], maxWidth: 48)
    func row(_ name: String, _ value: String?, _ origin: FieldOrigin) {
      let v = value ?? "-"
      table.rows.append(
        blame
          ? [name, v, origin.layer.map { "\($0). " }.map { $0 + origin.description } ?? origin.description] : [name, v])
    }
    let personaText =
      r.personaName ?? (r.aiSettingsPersona.map { "(none: AI Settings, bound to \($0))" } ?? "(none: AI Settings)")
    table.rows.append(blame ? ["persona", personaText, r.source.rawValue] : ["persona", personaText])
    row("provider", r.provider.value, r.provider.origin)
    row("model", r.model.value, r.model.origin)
    row("temperature", r.temperature.value.map(TOMLWriter.formatFloat), r.temperature.origin)
    row("top_p", r.topP.value.map(TOMLWriter.formatFloat), r.topP.origin)
    row("max_output_tokens", r.maxOutputTokens.value.map(String.init), r.maxOutputTokens.origin)
    row("system_prompt_preset", r.systemPromptPresetID.value, r.systemPromptPresetID.origin)
    row("tool_preset", r.toolPresetID.value, r.toolPresetID.origin)
    row("bias_profile", r.biasProfileID.value, r.biasProfileID.origin)
    lines.append(table.render())
    lines.append("")
    lines.append("System prompt:")
    if r.promptParts.isEmpty { lines.append("  (empty)") }
    for part in r.promptParts {
      if blame { lines.append("  --- \(part.kind), from \(part.origin.description)") }
      lines += part.text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
    }
    if !r.tools.isEmpty {
      lines.append("")
      lines.append("Tools:")
      var tools = TextTable(header: ["TOOL", "APPROVAL", "WEIGHT", "DESCRIPTION"], maxWidth: 60)
      for t in r.tools {
        tools.rows.append([t.name, t.approval, TOMLWriter.formatFloat(t.effectiveWeight), t.description])
      }
      lines += tools.render().split(separator: "\n").map { "  " + $0 }
    }
    for w in r.warnings { lines.append("warning: \(w)") }
    return lines.joined(separator: "\n")
  }
}
