namespace MediaGateway.Infra.Tests;

/// <summary>The Function App on Flex Consumption, configured for identity-based storage and telemetry.</summary>
[Collection(BicepCollection.Name)]
public sealed class FunctionAppTests(BicepTemplateFixture fixture)
{
    private Arm.ArmDeployment Deployment => fixture.Deployment;

    [Fact]
    public void Plan_is_Flex_Consumption_FC1()
    {
        var plan = Deployment.FunctionPlan();
        Assert.Equal("FC1", plan.Get("sku.name"));
        Assert.Equal("FlexConsumption", plan.Get("sku.tier"));
    }

    [Fact]
    public void Runtime_is_dotnet_isolated_10()
    {
        var app = Deployment.FunctionApp();
        Assert.Equal("dotnet-isolated", app.Get("properties.functionAppConfig.runtime.name"));
        Assert.Equal("10.0", app.Get("properties.functionAppConfig.runtime.version"));
    }

    [Fact]
    public void Deployment_package_is_read_with_the_user_assigned_identity()
    {
        var storage = TemplateShortcuts.Object(Deployment.FunctionApp().Get("properties.functionAppConfig.deployment.storage"));
        Assert.Equal("blobContainer", storage["type"]);
        var authentication = TemplateShortcuts.Object(storage["authentication"]);
        Assert.Equal("UserAssignedIdentity", authentication["type"]);
        Assert.Contains("'functions-identity'", Deployment.ModuleScope("function-app").InputExpression("identityId"));
    }

    [Fact]
    public void AzureWebJobsStorage_credential_is_managedidentity()
    {
        Assert.Equal("managedidentity", Deployment.FunctionAppSettings().GetValueOrDefault("AzureWebJobsStorage__credential"));
    }

    [Fact]
    public void AzureWebJobsStorage_clientId_is_the_functions_identity()
    {
        Assert.Equal("[parameters('identityClientId')]", SettingExpression("AzureWebJobsStorage__clientId"));
        var input = Deployment.ModuleScope("function-app").InputExpression("identityClientId");
        Assert.Contains("'functions-identity'", input);
        Assert.Contains("clientId", input);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__queueServiceUri", "queue")]
    [InlineData("AzureWebJobsStorage__blobServiceUri", "blob")]
    [InlineData("AzureWebJobsStorage__tableServiceUri", "table")]
    public void AzureWebJobsStorage_service_uri_is_set(string setting, string service)
    {
        Assert.EndsWith($".primaryEndpoints.{service}]", SettingExpression(setting));
    }

    [Fact]
    public void AzureWebJobsStorage_is_not_a_connection_string()
    {
        Assert.DoesNotContain("AzureWebJobsStorage", Deployment.FunctionAppSettings().Keys);
    }

    [Fact]
    public void Template_never_uses_storage_account_keys()
    {
        Assert.DoesNotContain("AccountKey", fixture.TemplateText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listKeys", fixture.TemplateText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Application_Insights_is_used_with_Entra_authentication()
    {
        var authentication = SettingExpression("APPLICATIONINSIGHTS_AUTHENTICATION_STRING");
        Assert.Contains("Authorization=AAD", authentication, StringComparison.Ordinal);
        Assert.Contains("parameters('identityClientId')", authentication, StringComparison.Ordinal);
    }

    [Fact]
    public void Application_Insights_local_auth_is_disabled()
    {
        Assert.Equal(true, Deployment.Single("Microsoft.Insights/components").Get("properties.DisableLocalAuth"));
    }

    [Fact]
    public void Function_app_accepts_HTTPS_only()
    {
        Assert.Equal(true, Deployment.FunctionApp().Get("properties.httpsOnly"));
    }

    /// <summary>An app setting's value as written in the template (unevaluated).</summary>
    private string SettingExpression(string name) =>
        Assert.Single(Deployment.FunctionApp().Node("properties.siteConfig.appSettings")!.AsArray(),
            s => s!["name"]!.GetValue<string>() == name)!["value"]!.GetValue<string>();

    [Fact]
    public void Rate_limits_count_callers_by_the_address_Azure_s_front_end_appends()
    {
        Assert.Equal("1", Deployment.FunctionAppSettings().GetValueOrDefault("MediaGateway__Gateway__RateLimits__ForwardedForHops"));
    }

    // Per-client limits are per instance and every instance feeds one GPU runner: Flex's smallest maximum.
    [Fact]
    public void The_gateway_scales_out_to_at_most_40_instances()
    {
        Assert.Equal(40L, Deployment.FunctionApp().Get("properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount"));
    }
}
