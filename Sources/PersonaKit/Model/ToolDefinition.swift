/// A tool of the catalog (`tools.toml`). Tool presets may only name tools listed there.
public struct ToolDefinition: Sendable, Equatable {
  public var name: String
  public var description: String
  public var category: String
  public var raw = TOMLDict()

  public init(name: String, description: String, category: String) {
    self.name = name
    self.description = description
    self.category = category
  }

  public static func read(name: String, _ reader: inout TableReader) -> ToolDefinition {
    var t = ToolDefinition(
      name: name, description: reader.string("description") ?? "", category: reader.string("category") ?? "")
    reader.warnUnknownKeys(["description", "category"])
    t.raw = reader.table
    return t
  }

  public var table: TOMLDict {
    var t = raw
    t.set("description", description, missing: "")
    t.set("category", category, missing: "")
    return t
  }
}
