using System.Text.Json.Nodes;

namespace MediaGateway.Infra.Tests.Arm;

/// <summary>
/// One template of the compiled deployment (main, or a module's nested template) together with the values
/// its parameters get: a module's from the deployment that calls it, main's from the test.
/// </summary>
public sealed class TemplateScope
{
    private readonly JsonObject? _inputs;
    private readonly IReadOnlyDictionary<string, object?> _givenParameters;

    public TemplateScope(JsonObject template, IReadOnlyDictionary<string, object?> givenParameters)
        : this("main", template, null, null, givenParameters, null)
    {
    }

    private TemplateScope(string name, JsonObject template, TemplateScope? parent, JsonObject? inputs,
        IReadOnlyDictionary<string, object?> givenParameters, int? copyIndex)
    {
        (Name, Template, Parent, _inputs, _givenParameters, CopyIndex) = (name, template, parent, inputs, givenParameters, copyIndex);
    }

    /// <summary>"main", or the name of the module deployment.</summary>
    public string Name { get; }

    public JsonObject Template { get; }

    public TemplateScope? Parent { get; }

    /// <summary>The iteration being evaluated inside a copy loop.</summary>
    public int? CopyIndex { get; }

    public TemplateScope Module(string deploymentName, JsonObject template, JsonObject? inputs) =>
        new(deploymentName, template, this, inputs, _givenParameters, null);

    public TemplateScope WithCopyIndex(int index) => new(Name, Template, Parent, _inputs, _givenParameters, index);

    /// <summary>The expression, in the calling template, that a module passes for one of its parameters.</summary>
    public string? InputExpression(string parameter) => _inputs?[parameter]?["value"] switch
    {
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        var other => other?.ToJsonString(),
    };

    public object? Parameter(string name)
    {
        if (_inputs?[name] is JsonObject input)
            return Parent!.Evaluate(input["value"]);
        if (Parent is null && _givenParameters.TryGetValue(name, out var given))
            return given;
        var declared = Template["parameters"]?[name] ?? throw new KeyNotFoundException($"{Name}: no parameter '{name}'");
        return declared["defaultValue"] is { } defaultValue ? Evaluate(defaultValue) : new Unresolved($"parameters('{name}')");
    }

    public object? Variable(string name) =>
        Evaluate(Template["variables"]?[name] ?? throw new KeyNotFoundException($"{Name}: no variable '{name}'"));

    /// <summary>Evaluates a piece of the template: every string in it that is an expression is evaluated.</summary>
    public object? Evaluate(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => Key(p.Key), p => Evaluate(p.Value), StringComparer.OrdinalIgnoreCase),
        JsonArray a => a.Select(Evaluate).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => ArmExpression.Evaluate(s, this),
        _ => ArmExpression.FromJson(node),
    };

    private string Key(string key) => ArmExpression.Evaluate(key, this) switch
    {
        string s => s,
        var other => other?.ToString() ?? key,
    };
}
