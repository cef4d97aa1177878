/// A tool preset (`tool_presets.toml`): which tools a worker may call, grouped in categories.
public struct ToolPreset: Sendable, Equatable {
  public var name: String
  public var description: String?
  public var categories: [ToolCategory]
  public var raw: TOMLDict

  public init(name: String, description: String? = nil, categories: [ToolCategory] = []) {
    self.name = name
    self.description = description
    self.categories = categories
    self.raw = TOMLDict()
  }

  /// Every tool with its category, in order.
  public var allTools: [(category: String, tool: ToolGrant)] {
    categories.flatMap { c in c.tools.map { (c.name, $0) } }
  }

  public static func read(name: String, _ reader: inout TableReader) -> ToolPreset {
    var p = ToolPreset(name: name, description: reader.string("description"))
    for (catName, node) in (reader.table("categories") ?? TOMLDict()).entries {
      let catPath: [PathSegment] = [.key("categories"), .key(catName)]
      guard case .table(let catTable) = node else {
        reader.report(reader.file.diagnostic(reader.path + catPath, "expected a table, found \(node.typeName)"))
        continue
      }
      var catReader = TableReader(catTable, path: reader.path + catPath, file: reader.file)
      p.categories.append(ToolCategory.read(name: catName, &catReader))
      reader.absorb(catReader)
    }
    reader.warnUnknownKeys(["description", "categories"])
    p.raw = reader.table
    return p
  }

  public var table: TOMLDict {
    var t = raw
    t.setNonEmpty("description", description)
    // `categories` of another type stays while there is no category; entries that are not tables
    // (reported when read) stay.
    if raw["categories"] != nil && raw["categories"]?.tableValue == nil && categories.isEmpty { return t }
    var cats = raw["categories"]?.tableValue ?? TOMLDict()
    for key in cats.keys where cats[key]?.tableValue != nil && !categories.contains(where: { $0.name == key }) {
      cats[key] = nil
    }
    for c in categories { cats[c.name] = .table(c.table) }
    t["categories"] = .table(cats)
    return t
  }
}

public struct ToolCategory: Sendable, Equatable {
  public var name: String
  public var tools: [ToolGrant]
  public var raw = TOMLDict()

  public init(name: String, tools: [ToolGrant]) {
    self.name = name
    self.tools = tools
  }

  static func read(name: String, _ reader: inout TableReader) -> ToolCategory {
    var category = ToolCategory(name: name, tools: [])
    for (n, t) in reader.tableArray("tools") ?? [] {
      var r = reader.child(t, .key("tools"), .index(n))
      category.tools.append(ToolGrant.read(&r))
      reader.absorb(r)
    }
    reader.warnUnknownKeys(["tools"])
    category.raw = reader.table
    return category
  }

  var table: TOMLDict {
    var t = raw
    var reader = TableReader(quiet: raw)
    let unchanged = tools == ToolCategory.read(name: name, &reader).tools
    t.set("tools", .array(tools.map { .table($0.table) }), unchanged: unchanged)
    return t
  }
}

/// One tool in a tool preset: whether it runs at once or asks, its weight, and parameter hints.
public struct ToolGrant: Sendable, Equatable {
  public var name: String
  /// `auto` or `ask` (kept as written so that validation can report anything else).
  public var approval: String
  /// 1…5; 3 when not given.
  public var weight: Int
  /// Parameter name → `preferred` or `discouraged`, in file order.
  public var parameterBias: [(parameter: String, bias: String)]
  public var raw = TOMLDict()

  public static let defaultWeight = 3

  public init(name: String, approval: String = "ask", weight: Int = ToolGrant.defaultWeight) {
    self.name = name
    self.approval = approval
    self.weight = weight
    self.parameterBias = []
  }

  public static func == (a: ToolGrant, b: ToolGrant) -> Bool {
    a.name == b.name && a.approval == b.approval && a.weight == b.weight && a.raw == b.raw
      && sameBias(a.parameterBias, b.parameterBias)
  }

  static func sameBias(_ a: [(parameter: String, bias: String)], _ b: [(parameter: String, bias: String)]) -> Bool {
    a.map { "\($0.parameter)=\($0.bias)" } == b.map { "\($0.parameter)=\($0.bias)" }
  }

  static func read(_ reader: inout TableReader) -> ToolGrant {
    var g = ToolGrant(
      name: reader.string("name") ?? "", approval: reader.string("approval") ?? "ask",
      weight: reader.int("weight") ?? defaultWeight)
    for (param, node) in (reader.table("parameter_bias") ?? TOMLDict()).entries {
      if case .string(let s) = node {
        g.parameterBias.append((param, s))
      } else {
        reader.report(
          reader.file.diagnostic(
            reader.path + [.key("parameter_bias"), .key(param)], "expected a string, found \(node.typeName)"))
      }
    }
    reader.warnUnknownKeys(["name", "approval", "weight", "parameter_bias"])
    g.raw = reader.table
    return g
  }

  var table: TOMLDict {
    var t = raw
    t.set("name", name, missing: "")
    t.set("approval", approval, missing: "ask")
    t.set("weight", weight, missing: Self.defaultWeight)
    var reader = TableReader(quiet: raw)
    t.set(
      "parameter_bias",
      parameterBias.isEmpty ? nil : .table(TOMLDict(parameterBias.map { ($0.parameter, .string($0.bias)) })),
      unchanged: Self.sameBias(parameterBias, ToolGrant.read(&reader).parameterBias))
    return t
  }
}
