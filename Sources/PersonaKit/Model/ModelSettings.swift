/// A model choice: an entry of `preferred_models`, a tier assignment, or the AI Settings overrides.
/// Every field may be absent; a preferred model needs `provider` and `model` (validation says so).
public struct ModelSettings: Sendable, Equatable {
  public var provider: String?
  public var model: String?
  public var temperature: Double?
  public var topP: Double?
  public var maxOutputTokens: Int?
  /// The table as read, so that keys this program does not know survive a save.
  public var raw: TOMLDict

  public init(
    provider: String? = nil, model: String? = nil, temperature: Double? = nil, topP: Double? = nil,
    maxOutputTokens: Int? = nil
  ) {
    self.provider = provider
    self.model = model
    self.temperature = temperature
    self.topP = topP
    self.maxOutputTokens = maxOutputTokens
    self.raw = TOMLDict()
  }

  public static let keys = ["provider", "model", "temperature", "top_p", "max_output_tokens"]

  public var isEmpty: Bool {
    provider == nil && model == nil && temperature == nil && topP == nil && maxOutputTokens == nil
  }

  public static func read(_ reader: inout TableReader) -> ModelSettings {
    var m = ModelSettings(
      provider: reader.string("provider"), model: reader.string("model"),
      temperature: reader.double("temperature"), topP: reader.double("top_p"),
      maxOutputTokens: reader.int("max_output_tokens"))
    m.raw = reader.table
    return m
  }

  public var table: TOMLDict {
    var t = raw
    t.set("provider", provider)
    t.set("model", model)
    t.set("temperature", temperature)
    t.set("top_p", topP)
    t.set("max_output_tokens", maxOutputTokens)
    return t
  }
}
