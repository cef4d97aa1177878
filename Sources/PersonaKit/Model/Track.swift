/// A track (`tracks/NAME.toml`): a title, an optional persona for all its tickets, and the tickets.
public struct Track: Sendable, Equatable {
  /// The file's name without `.toml`; `dramatis run NAME` and `--track NAME` use it.
  public var name: String
  public var title: String
  public var personaID: String?
  public var tickets: [Ticket]

  public init(name: String, title: String = "", personaID: String? = nil, tickets: [Ticket] = []) {
    self.name = name
    self.title = title
    self.personaID = personaID
    self.tickets = tickets
  }

  public func ticket(_ id: String) -> Ticket? { tickets.first { $0.id == id } }

  public static func read(name: String, _ reader: inout TableReader) -> Track {
    var track = Track(name: name, title: reader.string("title") ?? "", personaID: reader.string("persona_id"))
    for (n, t) in reader.tableArray("tickets") ?? [] {
      var r = reader.child(t, .key("tickets"), .index(n))
      track.tickets.append(Ticket.read(&r))
      reader.absorb(r)
    }
    reader.warnUnknownKeys(["title", "persona_id", "tickets"])
    return track
  }

  public func write(onto root: TOMLDict) -> TOMLDict {
    var t = root
    t.set("title", title, missing: "")
    t.setNonEmpty("persona_id", personaID)
    // Keep unknown keys of each ticket: tickets carry their own raw tables. Elements that are not
    // tables (reported when read) keep their places among them; `tickets` of another type stays
    // while the track has no ticket.
    let old = root["tickets"]
    if old != nil && old?.arrayValue == nil && tickets.isEmpty { return t }
    var next = tickets.makeIterator()
    var out: [TOMLNode] = []
    for element in old?.arrayValue ?? [] {
      if element.tableValue == nil {
        out.append(element)
      } else if let ticket = next.next() {
        out.append(.table(ticket.table))
      }
    }
    while let ticket = next.next() { out.append(.table(ticket.table)) }
    t["tickets"] = .array(out)
    return t
  }
}
