using System.Text.RegularExpressions;
using MediaGateway.Contracts.Jobs;
using MediaGateway.Infra.Tests.Arm;

namespace MediaGateway.Infra.Tests;

/// <summary>
/// Least privilege: each identity gets exactly the built-in roles listed here (ids from the Azure built-in
/// roles reference), on the scope listed, and nothing else.
/// </summary>
[Collection(BicepCollection.Name)]
public sealed partial class RoleAssignmentTests(BicepTemplateFixture fixture)
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageBlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageQueueDataReader = "19e7f393-937e-4f77-808e-94535e297925";
    private const string StorageQueueDataMessageSender = "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a";
    private const string StorageQueueDataMessageProcessor = "8a0f0c08-91a1-4084-bc3d-661d67233fed";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

    /// <summary>(principal parameter of role-assignments.bicep, built-in role id, scope).</summary>
    public static TheoryData<string, string, string> ExpectedAssignments => new()
    {
        { "functionsPrincipalId", StorageBlobDataOwner, "storage account" },
        { "functionsPrincipalId", StorageQueueDataMessageSender, "search queue" },
        { "functionsPrincipalId", StorageQueueDataReader, "search queue" },
        { "functionsPrincipalId", StorageTableDataContributor, "jobs table" },
        { "functionsPrincipalId", StorageQueueDataMessageSender, "batch queue" },
        { "functionsPrincipalId", StorageQueueDataMessageProcessor, "batch queue" },
        { "functionsPrincipalId", StorageQueueDataReader, "batch queue" },
        { "functionsPrincipalId", StorageQueueDataMessageSender, "batch poison queue" },
        { "functionsPrincipalId", MonitoringMetricsPublisher, "application insights" },
        { "runnerPrincipalId", StorageQueueDataMessageProcessor, "search queue" },
        { "runnerPrincipalId", StorageQueueDataReader, "search queue" },
        { "runnerPrincipalId", StorageQueueDataMessageSender, "poison queue" },
        { "runnerPrincipalId", StorageBlobDataContributor, "results container" },
        { "runnerPrincipalId", StorageBlobDataContributor, "index-snapshots container" },
        { "runnerPrincipalId", StorageBlobDataReader, "catalog-imports container" },
        { "runnerPrincipalId", StorageTableDataContributor, "jobs table" },
        { "runnerPrincipalId", AcrPull, "container registry" },
        { "runnerPrincipalId", MonitoringMetricsPublisher, "application insights" },
        { "deployerPrincipalId", StorageBlobDataContributor, "storage account" },
        { "deployerPrincipalId", StorageQueueDataContributor, "storage account" },
        { "deployerPrincipalId", StorageTableDataContributor, "storage account" },
    };

    private sealed record Assignment(string Principal, string RoleId, string Scope, ArmResource Resource);

    private const string DeployerPrincipalId = "00000000-0000-0000-0000-000000000001";

    /// <summary>The assignments a deployment makes when the deploying principal is given (so all of them).</summary>
    private IReadOnlyList<Assignment> Assignments() =>
        fixture.With(new Dictionary<string, object?> { ["principalId"] = DeployerPrincipalId })
        .OfType("Microsoft.Authorization/roleAssignments")
        .Where(r => Equals(r.Condition, true))
        .Select(r => new Assignment(
            PrincipalParameter().Match(r.Node("properties.principalId")!.GetValue<string>()).Groups[1].Value,
            RoleId(r),
            ScopeOf(r.Node("scope")?.GetValue<string>() ?? ""),
            r)).ToList();

    /// <summary>The role definition id: a GUID written in the expression, or in the variable it names.</summary>
    private static string RoleId(ArmResource r)
    {
        var expression = r.Node("properties.roleDefinitionId")!.GetValue<string>();
        var roleVariable = RoleVariable().Match(expression);
        var text = roleVariable.Success
            ? ArmExpression.ToText(((Dictionary<string, object?>)r.Scope.Variable(roleVariable.Groups[1].Value)!)[roleVariable.Groups[2].Value])
            : expression;
        return Guid().Match(text).Value;
    }

    private static string ScopeOf(string scope) => scope switch
    {
        _ when scope.Contains("parameters('searchQueueName')", StringComparison.Ordinal) => "search queue",
        _ when scope.Contains("parameters('poisonQueueName')", StringComparison.Ordinal) => "poison queue",
        _ when scope.Contains("parameters('batchQueueName')", StringComparison.Ordinal) => "batch queue",
        _ when scope.Contains("parameters('batchPoisonQueueName')", StringComparison.Ordinal) => "batch poison queue",
        _ when scope.Contains("parameters('jobsTableName')", StringComparison.Ordinal) => "jobs table",
        _ when scope.Contains("parameters('resultsContainerName')", StringComparison.Ordinal) => "results container",
        _ when scope.Contains("parameters('indexSnapshotsContainerName')", StringComparison.Ordinal) => "index-snapshots container",
        _ when scope.Contains("parameters('catalogImportsContainerName')", StringComparison.Ordinal) => "catalog-imports container",
        _ when scope.Contains("'Microsoft.Storage/storageAccounts'", StringComparison.Ordinal) => "storage account",
        _ when scope.Contains("'Microsoft.Insights/components'", StringComparison.Ordinal) => "application insights",
        _ when scope.Contains("'Microsoft.ContainerRegistry/registries'", StringComparison.Ordinal) => "container registry",
        _ => $"unexpected scope {scope}",
    };

    [Theory]
    [MemberData(nameof(ExpectedAssignments))]
    public void Role_is_assigned(string principal, string roleId, string scope)
    {
        Assert.Contains(Assignments(), a => a.Principal == principal && a.RoleId == roleId && a.Scope == scope);
    }

    [Fact]
    public void No_other_role_is_assigned()
    {
        var expected = ExpectedAssignments.Select(row => ((string)row[0], (string)row[1], (string)row[2])).ToHashSet();
        Assert.DoesNotContain(Assignments(), a => !expected.Contains((a.Principal, a.RoleId, a.Scope)));
    }

    [Theory]
    [InlineData("functionsPrincipalId", "functions-identity")]
    [InlineData("runnerPrincipalId", "runner-identity")]
    public void Workload_principal_is_the_workload_identity(string principal, string identityModule)
    {
        var input = fixture.Deployment.ModuleScope("role-assignments").InputExpression(principal);
        Assert.Contains($"'{identityModule}'", input);
        Assert.Contains(".outputs.principalId.value", input);
    }

    [Fact]
    public void Deployer_roles_are_granted_only_when_principalId_is_given()
    {
        var deployerAssignments = fixture.Deployment.OfType("Microsoft.Authorization/roleAssignments")
            .Where(r => r.Node("properties.principalId")!.GetValue<string>() == "[parameters('deployerPrincipalId')]")
            .ToList();
        Assert.NotEmpty(deployerAssignments);
        Assert.All(deployerAssignments, r => Assert.Equal(false, r.Condition)); // azd passes '' when there is none
        Assert.Equal(DeployerPrincipalId, fixture.With(new Dictionary<string, object?> { ["principalId"] = DeployerPrincipalId })
            .ModuleScope("role-assignments").Parameter("deployerPrincipalId"));
    }

    [Theory]
    [InlineData("jobsTableName", StorageNames.JobsTable)]
    [InlineData("batchQueueName", StorageNames.BatchQueue)]
    [InlineData("batchPoisonQueueName", StorageNames.BatchPoisonQueue)]
    [InlineData("resultsContainerName", StorageNames.ResultsContainer)]
    [InlineData("indexSnapshotsContainerName", "index-snapshots")]
    public void Scoped_roles_name_the_tables_and_containers_the_code_uses(string parameter, string name)
    {
        Assert.Equal(name, fixture.Deployment.ModuleScope("role-assignments").Parameter(parameter));
        Assert.Equal(name, fixture.Deployment.ModuleScope("storage").Parameter(parameter));
    }

    // The issue that asked for this: the runner held Blob Data Contributor on the whole account, including
    // the Function App's deployment package and host storage.
    [Fact]
    public void The_runner_has_no_data_role_on_the_whole_storage_account()
    {
        Assert.DoesNotContain(Assignments(), a => a.Principal == "runnerPrincipalId" && a.Scope == "storage account");
    }

    // The runner never sees a batch message: batches are split into search jobs by the Function App.
    [Fact]
    public void The_runner_has_no_role_on_the_batch_queues()
    {
        Assert.DoesNotContain(Assignments(), a => a.Principal == "runnerPrincipalId" && a.Scope.StartsWith("batch", StringComparison.Ordinal));
    }

    [Fact]
    public void Managed_identities_are_assigned_as_service_principals()
    {
        Assert.All(Assignments().Where(a => a.Principal != "deployerPrincipalId"),
            a => Assert.Equal("ServicePrincipal", a.Resource.Get("properties.principalType")));
    }

    [GeneratedRegex(@"^\[parameters\('(\w+)'\)\]$")]
    private static partial Regex PrincipalParameter();

    [GeneratedRegex(@"variables\('(\w+)'\)\.(\w+)")]
    private static partial Regex RoleVariable();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex Guid();
}
