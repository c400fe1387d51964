using System.Text.Json.Nodes;

namespace MediaGateway.Infra.Tests.Arm;

/// <summary>
/// One template of the compiled deployment (main, or a module's nested template) together with the values
/// its parameters get: a module's from the deployment that calls it, main's from the test.
/// </summary>
public sealed class TemplateScope
{
    private readonly JsonNode? _inputs;
    private readonly IReadOnlyDictionary<string, object?> _givenParameters;
    private readonly Func<ResourceRef, object?> _reference;

    public TemplateScope(JsonObject template, IReadOnlyDictionary<string, object?> givenParameters, Func<ResourceRef, object?>? reference = null)
        : this("main", template, null, null, givenParameters, null, reference ?? (r => new Unresolved($"reference({r})")))
    {
    }

    private TemplateScope(string name, JsonObject template, TemplateScope? parent, JsonNode? inputs,
        IReadOnlyDictionary<string, object?> givenParameters, int? copyIndex, Func<ResourceRef, object?> reference)
    {
        (Name, Template, Parent, _inputs, _givenParameters, CopyIndex, _reference) = (name, template, parent, inputs, givenParameters, copyIndex, reference);
    }

    /// <summary>What reference() of a resource returns: a module's outputs, or the properties of a resource that exists.</summary>
    public object? Reference(ResourceRef target) => _reference(target);

    /// <summary>"main", or the name of the module deployment.</summary>
    public string Name { get; }

    public JsonObject Template { get; }

    public TemplateScope? Parent { get; }

    /// <summary>The iteration being evaluated inside a copy loop.</summary>
    public int? CopyIndex { get; }

    /// <summary>A module's scope; its inputs are the deployment's parameters object, or an expression that yields one.</summary>
    public TemplateScope Module(string deploymentName, JsonObject template, JsonNode? inputs) =>
        new(deploymentName, template, this, inputs, _givenParameters, null, _reference);

    public TemplateScope WithCopyIndex(int index) => new(Name, Template, Parent, _inputs, _givenParameters, index, _reference);

    /// <summary>The expression, in the calling template, that a module passes for one of its parameters.</summary>
    public string? InputExpression(string parameter) => (_inputs as JsonObject)?[parameter] switch
    {
        JsonObject o => o["value"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : o["value"]?.ToJsonString(),
        JsonValue chosen when chosen.TryGetValue<string>(out var text) => text,
        _ => null,
    };

    public object? Parameter(string name)
    {
        if (_inputs is JsonObject inputs && inputs[name] is JsonObject input)
            return Parent!.Evaluate(input["value"]);
        // An input chosen by an expression (Bicep's `cond ? a : b` for a module parameter): if(c, createObject('value', a), ...).
        if (_inputs is JsonObject withExpressions && withExpressions[name] is JsonValue chosen
            && Parent!.Evaluate(chosen) is Dictionary<string, object?> picked)
            return picked.GetValueOrDefault("value");
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
