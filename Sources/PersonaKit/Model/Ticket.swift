/// A ticket of a track.
public struct Ticket: Sendable, Equatable {
  public static let statuses = ["todo", "in_progress", "blocked", "done"]

  public var id: String
  public var description: String
  /// `todo`, `in_progress`, `blocked` or `done` (kept as written; validation reports others).
  public var status: String
  public var tier: Int
  public var dependsOn: [String]
  /// The per-ticket persona override.
  public var personaID: String?
  public var modelOverride: String?
  public var retryCount: Int
  public var blockedReason: String
  public var raw = TOMLDict()

  public init(
    id: String, description: String = "", status: String = "todo", tier: Int = 3, dependsOn: [String] = [],
    personaID: String? = nil, modelOverride: String? = nil, retryCount: Int = 0, blockedReason: String = ""
  ) {
    self.id = id
    self.description = description
    self.status = status
    self.tier = tier
    self.dependsOn = dependsOn
    self.personaID = personaID
    self.modelOverride = modelOverride
    self.retryCount = retryCount
    self.blockedReason = blockedReason
  }

  /// The keys of a ticket's table.
  public static let keys = [
    "id", "description", "status", "tier", "depends_on", "persona_id", "model_override", "retry_count",
    "blocked_reason",
  ]

  public static func read(_ reader: inout TableReader) -> Ticket {
    var t = Ticket(
      id: reader.string("id") ?? "", description: reader.string("description") ?? "",
      status: reader.string("status") ?? "todo", tier: reader.int("tier") ?? 3,
      dependsOn: reader.stringArray("depends_on") ?? [], personaID: reader.string("persona_id"),
      modelOverride: reader.string("model_override"), retryCount: reader.int("retry_count") ?? 0,
      blockedReason: reader.string("blocked_reason") ?? "")
    reader.warnUnknownKeys(Ticket.keys)
    t.raw = reader.table
    return t
  }

  public var table: TOMLDict {
    var t = raw
    t.set("id", id, missing: "")
    t.set("description", description, missing: "")
    t.set("status", status, missing: "todo")
    t.set("tier", tier, missing: 3)
    var reader = TableReader(quiet: raw)
    t.set("depends_on", .array(dependsOn.map(TOMLNode.string)), unchanged: dependsOn == Ticket.read(&reader).dependsOn)
    t.setNonEmpty("persona_id", personaID)
    t.setNonEmpty("model_override", modelOverride)
    t.set("retry_count", retryCount, missing: 0)
    t.set("blocked_reason", blockedReason, missing: "")
    return t
  }
}
