/// A system prompt preset (`presets.toml`): the prompt text and optional sampling defaults.
public struct SystemPromptPreset: Sendable, Equatable {
  public var name: String
  public var systemPrompt: String
  public var temperature: Double?
  public var topP: Double?
  public var maxOutputTokens: Int?
  public var raw: TOMLDict

  public init(
    name: String, systemPrompt: String, temperature: Double? = nil, topP: Double? = nil,
    maxOutputTokens: Int? = nil
  ) {
    self.name = name
    self.systemPrompt = systemPrompt
    self.temperature = temperature
    self.topP = topP
    self.maxOutputTokens = maxOutputTokens
    self.raw = TOMLDict()
  }

  public static func read(name: String, _ reader: inout TableReader) -> SystemPromptPreset {
    var p = SystemPromptPreset(
      name: name, systemPrompt: reader.string("system_prompt") ?? "", temperature: reader.double("temperature"),
      topP: reader.double("top_p"), maxOutputTokens: reader.int("max_output_tokens"))
    reader.warnUnknownKeys(["system_prompt", "temperature", "top_p", "max_output_tokens"])
    p.raw = reader.table
    return p
  }

  public var table: TOMLDict {
    var t = raw
    t.set("system_prompt", systemPrompt, missing: "")
    t.set("temperature", temperature)
    t.set("top_p", topP)
    t.set("max_output_tokens", maxOutputTokens)
    return t
  }
}
