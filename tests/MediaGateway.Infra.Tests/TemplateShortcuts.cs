using MediaGateway.Infra.Tests.Arm;

namespace MediaGateway.Infra.Tests;

/// <summary>The resources the tests talk about, found by type in the compiled deployment.</summary>
public static class TemplateShortcuts
{
    public static ArmResource RunnerApp(this ArmDeployment d) => d.Single("Microsoft.App/containerApps");

    public static ArmResource ContainerAppsEnvironment(this ArmDeployment d) => d.Single("Microsoft.App/managedEnvironments");

    public static ArmResource FunctionApp(this ArmDeployment d) => d.Single("Microsoft.Web/sites");

    public static ArmResource FunctionPlan(this ArmDeployment d) => d.Single("Microsoft.Web/serverfarms");

    public static ArmResource StorageAccount(this ArmDeployment d) => d.Single("Microsoft.Storage/storageAccounts");

    /// <summary>The runner container's environment variables by name: value, or "secretRef:NAME".</summary>
    public static Dictionary<string, object?> RunnerEnvironment(this ArmDeployment d)
    {
        var container = Assert.Single(Objects(d.RunnerApp().Get("properties.template.containers")));
        return Objects(container["env"]).ToDictionary(
            e => (string)e["name"]!,
            e => e.TryGetValue("secretRef", out var secret) ? $"secretRef:{secret}" : e.GetValueOrDefault("value"));
    }

    /// <summary>The Function App's application settings by name.</summary>
    public static Dictionary<string, object?> FunctionAppSettings(this ArmDeployment d) =>
        Objects(d.FunctionApp().Get("properties.siteConfig.appSettings")).ToDictionary(s => (string)s["name"]!, s => s["value"]);

    /// <summary>The names of the child resources of a type (queues, tables, containers), evaluated.</summary>
    public static IEnumerable<string> ChildNames(this ArmDeployment d, string type) =>
        d.OfType(type).Select(r => ((string)r.Get("name")!).Split('/').Last());

    public static IEnumerable<Dictionary<string, object?>> Objects(object? value) =>
        Assert.IsType<List<object?>>(value).Cast<Dictionary<string, object?>>();

    public static Dictionary<string, object?> Object(object? value) => Assert.IsType<Dictionary<string, object?>>(value);
}
