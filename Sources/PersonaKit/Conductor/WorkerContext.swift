/// Everything a runner needs to run one worker: who it is (the resolved persona), how it runs
/// (model and sampling), what it may call (tools), and what it is asked (messages).
/// Its JSON form is what `exec` runners read on stdin (docs/conductor.md has the schema).
public struct WorkerContext: Sendable, Equatable {
  public struct Message: Sendable, Equatable {
    /// `system` or `user`.
    public var role: String
    public var content: String
  }

  public var track: String
  public var ticket: String
  public var tier: Int
  public var retry: Int
  public var personaID: String?
  /// `ticket_override`, `track`, `tier_assignment`, `default` or `none`.
  public var personaSource: PersonaSource
  public var provider: String?
  public var model: String?
  public var temperature: Double?
  public var topP: Double?
  public var maxOutputTokens: Int?
  public var toolPresetID: String?
  public var biasProfileID: String?
  public var systemPrompt: String
  public var tools: [EffectiveTool]
  public var messages: [Message]

  /// Builds the context of a ticket from its resolution, its description and what its
  /// dependencies produced (ticket id → output text, in dependency order).
  public init(resolved r: ResolvedPersona, ticket: Ticket, track: String, dependencyOutputs: [(String, String)]) {
    self.track = track
    self.ticket = ticket.id
    tier = r.tier
    retry = r.retry
    personaID = r.personaName
    personaSource = r.source
    provider = r.provider.value
    model = r.model.value
    temperature = r.temperature.value
    topP = r.topP.value
    maxOutputTokens = r.maxOutputTokens.value
    toolPresetID = r.toolPresetID.value
    biasProfileID = r.biasProfileID.value
    systemPrompt = r.systemPrompt
    tools = r.tools
    var messages: [Message] = []
    if !r.systemPrompt.isEmpty { messages.append(Message(role: "system", content: r.systemPrompt)) }
    messages.append(Message(role: "user", content: "Ticket \(ticket.id): \(ticket.description)"))
    for (id, output) in dependencyOutputs {
      messages.append(Message(role: "user", content: "Output of dependency \(id):\n\(Self.tail(output))"))
    }
    self.messages = messages
  }

  /// The most of one dependency's output a worker is given, in bytes of UTF-8: its end. Unbounded,
  /// a worker that writes its request out (the dry-run runner does) doubled the request of every
  /// ticket after it — 760 MB of logs after 19 tickets of a chain.
  public static let dependencyOutputLimit = 16 << 10
  static let leftOutNote = "[… the first "

  /// Adds a line to an output being collected, keeping at most twice the limit (whole characters
  /// at the start): what is cut is counted in `leftOut`.
  static func collect(_ line: String, into text: inout String, leftOut: inout Int) {
    if !text.isEmpty { text += "\n" }
    text += line
    let utf8 = text.utf8
    guard utf8.count > 2 * dependencyOutputLimit else { return }
    var start = utf8.index(utf8.endIndex, offsetBy: -dependencyOutputLimit)
    while start < utf8.endIndex && utf8[start] & 0xC0 == 0x80 { start = utf8.index(after: start) }
    leftOut += utf8.distance(from: utf8.startIndex, to: start)
    text = String(decoding: utf8[start...], as: UTF8.self)
  }

  /// The end of an output: at most `limit` bytes of UTF-8 (from the start of a line when one
  /// begins near the cut), after a note of how much was left out (`leftOut`: bytes already cut).
  public static func tail(_ text: String, limit: Int = dependencyOutputLimit, leftOut: Int = 0) -> String {
    let utf8 = text.utf8
    guard utf8.count > limit else {
      return leftOut == 0 ? text : "[… the first \(leftOut) bytes of the output are left out]\n" + text
    }
    // Already cut (the engine's outputs are; the context cuts what it is given): kept as it is.
    if leftOut == 0, text.hasPrefix(Self.leftOutNote), let newline = utf8.firstIndex(of: 10),
      utf8.distance(from: newline, to: utf8.endIndex) - 1 <= limit
    {
      return text
    }
    var start = utf8.index(utf8.endIndex, offsetBy: -limit)
    while start < utf8.endIndex && utf8[start] & 0xC0 == 0x80 { start = utf8.index(after: start) }
    if let newline = utf8[start...].prefix(limit / 4).firstIndex(of: 10) { start = utf8.index(after: newline) }
    let cut = leftOut + utf8.distance(from: utf8.startIndex, to: start)
    return "[… the first \(cut) bytes of the output are left out]\n"
      + String(decoding: utf8[start...], as: UTF8.self)
  }

  /// The persona metadata of a `worker_start` event.
  public var personaJSON: JSONValue {
    .object([
      ("name", .optional(personaID)), ("source", .string(personaSource.rawValue)), ("provider", .optional(provider)),
      ("model", .optional(model)), ("temperature", .optional(temperature)), ("top_p", .optional(topP)),
      ("max_output_tokens", .optional(maxOutputTokens)), ("tool_preset_id", .optional(toolPresetID)),
      ("bias_profile_id", .optional(biasProfileID)),
    ])
  }

  public var json: JSONValue {
    .object([
      ("track", .string(track)), ("ticket", .string(ticket)), ("tier", .number(Double(tier))),
      ("retry", .number(Double(retry))), ("persona_id", .optional(personaID)),
      ("persona_source", .string(personaSource.rawValue)), ("provider", .optional(provider)),
      ("model", .optional(model)), ("temperature", .optional(temperature)), ("top_p", .optional(topP)),
      ("max_output_tokens", .optional(maxOutputTokens)), ("tool_preset_id", .optional(toolPresetID)),
      ("bias_profile_id", .optional(biasProfileID)), ("system_prompt", .string(systemPrompt)),
      (
        "tools",
        .array(
          tools.map {
            .object([
              ("name", .string($0.name)), ("category", .string($0.category)), ("approval", .string($0.approval)),
              ("weight", .number(Double($0.baseWeight))), ("effective_weight", .number($0.effectiveWeight)),
              ("priority", .optional($0.priority)), ("description", .string($0.description)),
            ])
          })
      ),
      ("messages", .array(messages.map { .object([("role", .string($0.role)), ("content", .string($0.content))]) })),
    ])
  }
}
