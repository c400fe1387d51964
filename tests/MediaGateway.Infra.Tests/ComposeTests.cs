using System.Reflection;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MediaGateway.Infra.Tests;

/// <summary>
/// compose.yaml, read as Compose reads it (YAML merge keys resolved): every image pinned to a version, the
/// ports and volumes each server needs declared, the runner's GPU reservation and its CPU variant, and the
/// runner pointed at the Milvus service.
/// </summary>
public sealed class ComposeTests
{
    private static readonly string RepositoryRoot = typeof(ComposeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    private static YamlMappingNode Compose()
    {
        using var reader = new StreamReader(Path.Combine(RepositoryRoot, "compose.yaml"));
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(reader)));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlMappingNode Services => Map(Compose(), "services");

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node[new YamlScalarNode(key)];

    private static YamlNode? Child(YamlMappingNode node, string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    private static IEnumerable<string> Items(YamlNode? node) => (node as YamlSequenceNode)?.Children.Cast<YamlScalarNode>().Select(n => n.Value!) ?? [];

    private static IEnumerable<(string Name, YamlMappingNode Service)> AllServices =>
        Services.Children.Select(c => (((YamlScalarNode)c.Key).Value!, (YamlMappingNode)c.Value));

    [Fact]
    public void Every_image_is_pinned_to_a_version()
    {
        foreach (var (name, service) in AllServices)
        {
            var image = Scalar(service, "image");
            Assert.False(image is null, $"{name} has no image");
            if (Child(service, "build") is YamlMappingNode build)
            {
                // Built here: the Dockerfile pins its own bases.
                Assert.True(File.Exists(Path.Combine(RepositoryRoot, Scalar(build, "context")!, Scalar(build, "dockerfile")!)), $"{name}'s Dockerfile is missing");
                continue;
            }
            var tag = image!.Contains(':') && image.LastIndexOf(':') > image.LastIndexOf('/') ? image[(image.LastIndexOf(':') + 1)..] : null;
            Assert.True(tag is not null && tag != "latest" && Regex.IsMatch(tag, @"\d+\.\d+|RELEASE\.\d{4}"), $"{name}: image '{image}' is not pinned to a version");
        }
    }

    [Theory]
    [InlineData("milvus", "19530")]
    [InlineData("milvus", "9091")]
    [InlineData("neo4j", "7474")]
    [InlineData("neo4j", "7687")]
    [InlineData("azurite", "10001")]
    [InlineData("runner", "8080")]
    [InlineData("runner-cpu", "8080")]
    public void Servers_publish_their_ports(string service, string containerPort)
    {
        var ports = Items(Child(Map(Services, service), "ports")).ToArray();
        Assert.Contains(ports, p => Regex.IsMatch(p, $@"^(\d+:)?{containerPort}$"));
    }

    [Theory]
    [InlineData("etcd", "/etcd")]
    [InlineData("minio", "/minio_data")]
    [InlineData("milvus", "/var/lib/milvus")]
    [InlineData("neo4j", "/data")]
    [InlineData("azurite", "/data")]
    [InlineData("runner", "/data/embeddings")]
    public void Data_lives_in_declared_named_volumes(string service, string path)
    {
        var declared = Map(Compose(), "volumes").Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!).ToHashSet();
        var mounts = Items(Child(Map(Services, service), "volumes")).Select(v => v.Split(':')).ToArray();
        var mount = Assert.Single(mounts, m => m[1] == path);
        Assert.Contains(mount[0], declared);
        foreach (var (name, s) in AllServices)
            foreach (var m in Items(Child(s, "volumes")).Select(v => v.Split(':')[0]).Where(v => !v.StartsWith('.') && !v.StartsWith('/')))
                Assert.True(declared.Contains(m), $"{name} mounts undeclared volume {m}");
    }

    [Fact]
    public void The_gpu_runner_reserves_an_nvidia_device_and_the_cpu_runner_reserves_none()
    {
        var device = (YamlMappingNode)((YamlSequenceNode)Map(Map(Map(Map(Services, "runner"), "deploy"), "resources"), "reservations")[new YamlScalarNode("devices")])[0];
        Assert.Equal("nvidia", Scalar(device, "driver"));
        Assert.Contains("gpu", Items(Child(device, "capabilities")));
        Assert.Null(Child(Map(Services, "runner-cpu"), "deploy"));
        Assert.Equal(["gpu"], Items(Child(Map(Services, "runner"), "profiles")));
        Assert.Equal(["cpu"], Items(Child(Map(Services, "runner-cpu"), "profiles")));
    }

    [Theory]
    [InlineData("runner")]
    [InlineData("runner-cpu")]
    public void The_runner_uses_the_milvus_service_as_its_vector_store(string service)
    {
        var environment = Map(Map(Services, service), "environment");
        Assert.Equal("Milvus", Scalar(environment, "MediaGateway__Engine__VectorStore"));
        Assert.Equal("http://milvus:19530", Scalar(environment, "MediaGateway__Milvus__Endpoint"));
        Assert.Contains("milvus", Map(Map(Services, service), "depends_on").Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value));
    }

    [Theory]
    [InlineData("runner")]
    [InlineData("runner-cpu")]
    public void The_runner_uses_the_neo4j_service_as_its_ontology_store_once_it_is_healthy(string service)
    {
        var environment = Map(Map(Services, service), "environment");
        Assert.Equal("Neo4j", Scalar(environment, "MediaGateway__Engine__OntologyStore"));
        Assert.Equal("http://neo4j:7474", Scalar(environment, "MediaGateway__Neo4j__Endpoint"));
        Assert.Equal("neo4j", Scalar(environment, "MediaGateway__Neo4j__User"));
        Assert.Equal("service_healthy", Scalar(Map(Map(Map(Services, service), "depends_on"), "neo4j"), "condition"));
        Assert.NotNull(Child(Map(Services, "neo4j"), "healthcheck"));
    }

    [Fact]
    public void Passwords_come_from_the_environment_not_the_file()
    {
        // One variable, NEO4J_PASSWORD, sets the server's password and the runner's: they cannot drift apart.
        Assert.Matches(@"^neo4j/\$\{NEO4J_PASSWORD:\?", Scalar(Map(Map(Services, "neo4j"), "environment"), "NEO4J_AUTH"));
        Assert.Matches(@"^\$\{NEO4J_PASSWORD:\?", Scalar(Map(Map(Services, "runner"), "environment"), "MediaGateway__Neo4j__Password"));
        Assert.StartsWith("${MILVUS_TOKEN", Scalar(Map(Map(Services, "runner"), "environment"), "MediaGateway__Milvus__Token"));
    }
}
