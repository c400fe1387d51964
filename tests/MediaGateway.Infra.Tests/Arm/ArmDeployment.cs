using System.Text.Json.Nodes;

namespace MediaGateway.Infra.Tests.Arm;

/// <summary>One resource of the compiled deployment, with the template scope its expressions evaluate in.</summary>
public sealed record ArmResource(string Type, JsonObject Json, TemplateScope Scope)
{
    /// <summary>The module (nested deployment) that declares this resource, or "main".</summary>
    public string Module => Scope.Name;

    /// <summary>Evaluates the node at a dotted path ("properties.siteConfig.appSettings"), or null when absent.</summary>
    public object? Get(string path) => Scope.Evaluate(Node(path));

    /// <summary>The node at a dotted path as written in the template, expressions unevaluated.</summary>
    public JsonNode? Node(string path)
    {
        JsonNode? node = Json;
        foreach (var part in path.Split('.'))
            node = node is JsonObject o ? o[part] : null;
        return node;
    }

    /// <summary>Whether the resource is deployed: its condition, when it has one, evaluated.</summary>
    public object? Condition => Json["condition"] is { } condition ? Scope.Evaluate(condition) : true;

    public override string ToString() => $"{Type} in {Module}";
}

/// <summary>
/// The compiled deployment (ARM JSON from <c>bicep build</c>) with every nested module template flattened,
/// evaluated for one set of values of main.bicep's parameters.
/// </summary>
public sealed class ArmDeployment
{
    private readonly IReadOnlyDictionary<string, object?> _existing;

    /// <param name="existing">Resources that exist before the deployment, by type: what reference() of one returns
    /// (its properties). Absent types evaluate to <see cref="Unresolved"/>.</param>
    public ArmDeployment(JsonObject template, IReadOnlyDictionary<string, object?> parameters, IReadOnlyDictionary<string, object?>? existing = null)
    {
        _existing = existing ?? new Dictionary<string, object?>();
        Main = new TemplateScope(template, parameters, Reference);
        Resources = Flatten(Main).ToList();
    }

    /// <summary>reference() of a module deployment gives its evaluated outputs; of another resource, what the test said exists.</summary>
    private object? Reference(ResourceRef target)
    {
        if (string.Equals(target.Type, DeploymentType, StringComparison.OrdinalIgnoreCase))
        {
            var module = ModuleScope(target.Name);
            var outputs = (module.Template["outputs"] as JsonObject ?? []).ToDictionary(
                o => o.Key, o => (object?)new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["value"] = module.Evaluate(o.Value!["value"]) },
                StringComparer.OrdinalIgnoreCase);
            return new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["outputs"] = outputs };
        }
        return _existing.TryGetValue(target.Type, out var properties) ? properties : new Unresolved($"reference({target})");
    }

    public TemplateScope Main { get; }

    public IReadOnlyList<ArmResource> Resources { get; }

    public IEnumerable<ArmResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>The single resource of a type; fails the test when there is none or more than one.</summary>
    public ArmResource Single(string type) => Xunit.Assert.Single(OfType(type));

    /// <summary>The nested template scope of a module, by its deployment name.</summary>
    public TemplateScope ModuleScope(string deploymentName) =>
        ModuleOf(Xunit.Assert.Single(Resources, r => r.Type == DeploymentType && Name(r) == deploymentName));

    /// <summary>Every template of the deployment: main and each module.</summary>
    public IEnumerable<TemplateScope> Templates =>
        new[] { Main }.Concat(Resources.Where(r => r.Type == DeploymentType).Select(ModuleOf));

    private const string DeploymentType = "Microsoft.Resources/deployments";

    private static string? Name(ArmResource r) => r.Scope.Evaluate(r.Json["name"]) as string;

    private static TemplateScope ModuleOf(ArmResource deployment) =>
        deployment.Scope.Module(Name(deployment)!, (JsonObject)deployment.Json["properties"]!["template"]!,
            deployment.Json["properties"]!["parameters"]);

    private static IEnumerable<ArmResource> Flatten(TemplateScope scope)
    {
        var resources = scope.Template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject symbolic => symbolic.Select(p => p.Value).OfType<JsonObject>(), // languageVersion 2.0
            _ => [],
        };
        foreach (var json in resources)
        {
            var type = json["type"]!.GetValue<string>();
            var instances = json["copy"] is JsonObject copy
                ? Enumerable.Range(0, (int)(long)scope.Evaluate(copy["count"])!).Select(scope.WithCopyIndex)
                : [scope];
            foreach (var instanceScope in instances)
            {
                var resource = new ArmResource(type, json, instanceScope);
                yield return resource;
                if (type == DeploymentType)
                    foreach (var nested in Flatten(ModuleOf(resource))) yield return nested;
            }
        }
    }
}
