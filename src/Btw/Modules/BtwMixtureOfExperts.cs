using System;
using System.Collections.Generic;
using Btw.Internal;
using Btw.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Btw;

/// <summary>
/// A multimodal mixture-of-experts model in which BTW weights act: subclass it, create one encoder per modality as
/// fields, call <c>RegisterComponents()</c> at the end of your constructor, and implement <see cref="Encode"/>.
/// </summary>
/// <remarks>
/// <para>Forward pass for a batch of B examples and M modalities (D = <see cref="BtwMoEOptions.EmbeddingDim"/>):</para>
/// <list type="number">
/// <item>e_m = Encode(m, input_m), [B, D] for every modality m. Where modality m is missing (<see cref="BtwInput.Present"/>),
/// the input rows are replaced by zeros before encoding and the embedding rows by zeros after it, so whatever a missing
/// input holds (NaN, infinities, garbage) leaves the outputs, the loss and every gradient exactly as zeros would.</item>
/// <item>Unimodal prediction u_m = head_m(e_m), [B, Outputs], from the UNWEIGHTED embedding (so BTW can compare it with the
/// fused prediction and the unimodal heads can learn from their own loss); head_m(0) in rows where m is missing.</item>
/// <item>Token (i, m) = w_i^m · e_i^m with w = <see cref="BtwInput.Weights"/> detached (all ones when null), zeroed when
/// modality m is missing for example i. A token is one modality's weighted embedding of one example: a batch has up to
/// B·M tokens; missing modalities' tokens are dropped, not routed.</item>
/// <item>Each present token goes to the k best experts of its router (the router of its modality, or the shared one):
/// y = Σ_{e in top-k} G_e · expert_e(token), G = softmax over the k chosen scores, scores -‖token - w_e‖ (Laplace) or
/// token · W_g (softmax), plus Gaussian noise in training (see <see cref="BtwMoEOptions.NoisyGating"/>). Each expert runs
/// only on the tokens routed to it.</item>
/// <item>The token outputs are pooled per example across modalities (<see cref="BtwMoEOptions.Pooling"/>: mean over the
/// present modalities, or concatenation), dropout is applied in training, and the multimodal head gives z, [B, Outputs].</item>
/// </list>
/// <para><see cref="BtwOutput.AuxiliaryLoss"/> is the routers' load-balancing loss (<see cref="BtwLoadBalancing"/>).
/// Every tensor created by the forward pass is on the device of the embeddings <see cref="Encode"/> returns, so the
/// module runs wherever its parameters and inputs are. Base components are registered under names starting with
/// <c>btw_</c>; do not give subclass fields such names.</para>
/// </remarks>
public abstract class BtwMixtureOfExperts : nn.Module<BtwInput, BtwOutput>
{
    private readonly BtwMoEOptions _options;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> _unimodalHeads;
    private readonly SparseMixtureOfExperts _mixture;
    private readonly Linear _multimodalHead;
    private bool _componentsRegistered;

    /// <summary>Creates the heads and the mixture of experts; the subclass adds its encoders and then calls <c>RegisterComponents()</c>.</summary>
    /// <param name="name">The module name (as for any TorchSharp module).</param>
    /// <param name="options">The settings; validated and copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range.</exception>
    protected BtwMixtureOfExperts(string name, BtwMoEOptions options)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();

        var m = _options.Modalities;
        var d = _options.EmbeddingDim;
        _unimodalHeads = new ModuleList<nn.Module<Tensor, Tensor>>();
        for (var i = 0; i < m; i++)
        {
            _unimodalHeads.Add(nn.Linear(d, _options.Outputs));
        }

        _mixture = new SparseMixtureOfExperts("btw_moe", _options, _options.Router == BtwRouter.PerModality ? m : 1);
        var pooledWidth = _options.Pooling == BtwPooling.Concatenate ? (long)m * d : d;
        _multimodalHead = nn.Linear(pooledWidth, _options.Outputs);

        // Registered by name (not by RegisterComponents, which TorchSharp runs only once per module): the subclass's
        // own RegisterComponents() call then picks up its encoder fields.
        register_module("btw_unimodal_heads", _unimodalHeads);
        register_module("btw_moe", _mixture);
        register_module("btw_multimodal_head", _multimodalHead);
    }

    /// <summary>A copy of the settings this module was built with.</summary>
    public BtwMoEOptions Options => _options.Clone();

    /// <summary>
    /// Encodes one modality: [B, ...] -> [B, <see cref="BtwMoEOptions.EmbeddingDim"/>] (project to the common width here).
    /// Called once per modality and forward pass, inside the forward pass's dispose scope.
    /// </summary>
    /// <param name="modality">The modality index, 0 to M - 1.</param>
    /// <param name="input">That modality's input tensor, <c>BtwInput.Modalities[modality]</c>.</param>
    /// <returns>The embedding [B, EmbeddingDim]; any other shape is rejected with an <see cref="ArgumentException"/>.</returns>
    protected abstract Tensor Encode(int modality, Tensor input);

    /// <summary>Runs the model on a batch (see the class remarks for the computation).</summary>
    /// <param name="input">The M modality inputs and the optional weights [B, M] and presence flags [B, M].</param>
    /// <returns>The multimodal prediction [B, Outputs], the M unimodal predictions [B, Outputs], the load-balancing loss and
    /// the presence flags; the caller owns them (see <see cref="BtwOutput"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> or one of its modality tensors is null.</exception>
    /// <exception cref="ArgumentException">The number of modality tensors is not M, their batch sizes differ, Weights or
    /// Present is not [B, M], a row of Present has no modality present or holds a value other than 0 and 1 (the message is the one
    /// <see cref="BtwWeighter.Observe"/> gives), or <see cref="Encode"/> returned a shape other than [B, EmbeddingDim]; the message names the
    /// argument or modality and the expected and actual shapes.</exception>
    /// <exception cref="InvalidOperationException">The subclass constructor did not call <c>RegisterComponents()</c>.</exception>
    public sealed override BtwOutput forward(BtwInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!_componentsRegistered)
        {
            throw new InvalidOperationException(
                $"{GetType().Name} must call RegisterComponents() at the end of its constructor so that its encoders are registered (and trained, saved and moved with the module).");
        }

        var (batch, missing) = ValidateInput(input);
        using var scope = NewDisposeScope();
        var m = _options.Modalities;
        var embeddings = new Tensor[m];
        var unimodal = new Tensor[m];
        for (var i = 0; i < m; i++)
        {
            var x = input.Modalities[i];
            if (missing[i])
            {
                x = ZeroMissingRows(x, input.Present!, i);
            }

            embeddings[i] = EncodeChecked(i, x, batch);
            if (missing[i])
            {
                embeddings[i] = ZeroMissingRows(embeddings[i], input.Present!, i);
            }

            unimodal[i] = _unimodalHeads[i].call(embeddings[i]);
        }

        var device = embeddings[0].device;
        var dtype = embeddings[0].dtype;
        var present = input.Present is null ? null : AsPresence(input.Present, device);
        var tokens = stack(embeddings, 1);                                    // [B, M, D], missing rows already 0
        if (input.Weights is not null)
        {
            var weights = input.Weights.detach().to(dtype, device);
            if (present is not null)
            {
                weights = where(present, weights, zeros_like(weights));      // a missing weight cannot turn 0 into NaN
            }

            tokens = tokens * weights.unsqueeze(2);
        }

        var pooled = Fuse(tokens, present, out var auxiliary);
        if (_options.Dropout > 0)
        {
            pooled = nn.functional.dropout(pooled, _options.Dropout, training);
        }

        var multimodal = _multimodalHead.call(pooled);
        for (var i = 0; i < m; i++)
        {
            unimodal[i].MoveToOuterDisposeScope();
        }

        return new BtwOutput(
            multimodal.MoveToOuterDisposeScope(),
            unimodal,
            auxiliary.MoveToOuterDisposeScope(),
            present?.MoveToOuterDisposeScope());
    }

    /// <summary>Registers the subclass's fields (its encoders) as components; call it at the end of the subclass constructor.</summary>
    protected override void RegisterComponents()
    {
        base.RegisterComponents();
        _componentsRegistered = true;
    }

    /// <summary>Rows (tokens) each expert has processed since construction or the last <see cref="ResetExpertRows"/>: [E].</summary>
    internal long[] ExpertRowsProcessed() => _mixture.RowsProcessed();

    /// <summary>Sets the per-expert row counters back to 0.</summary>
    internal void ResetExpertRows() => _mixture.ResetRowsProcessed();

    // Routes the present tokens of [B, M, D] through the mixture and pools them per example.
    private Tensor Fuse(Tensor tokens, Tensor? present, out Tensor auxiliary)
    {
        var batch = tokens.shape[0];
        var m = tokens.shape[1];
        var d = tokens.shape[2];
        var flat = tokens.reshape(batch * m, d);
        var routerIds = _options.Router == BtwRouter.PerModality
            ? arange(m, ScalarType.Int64, tokens.device).repeat(batch)
            : zeros(batch * m, ScalarType.Int64, tokens.device);

        Tensor mixed;
        if (present is null)
        {
            (mixed, auxiliary) = _mixture.call(flat, routerIds);
        }
        else
        {
            var kept = present.reshape(-1).nonzero().view(-1);
            var (routed, aux) = _mixture.call(flat.index_select(0, kept), routerIds.index_select(0, kept));
            auxiliary = aux;
            mixed = zeros_like(flat).index_copy(0, kept, routed);
        }

        var perModality = mixed.view(batch, m, d);
        if (_options.Pooling == BtwPooling.Concatenate)
        {
            return perModality.reshape(batch, m * d);
        }

        if (present is null)
        {
            return perModality.mean(new long[] { 1 });
        }

        var count = present.sum(1, false, tokens.dtype).clamp_min(1).unsqueeze(1);
        return perModality.sum(1) / count;
    }

    private Tensor EncodeChecked(int modality, Tensor input, long batch)
    {
        var embedding = Encode(modality, input)
            ?? throw new ArgumentException(Shapes.Message($"Encode(modality {modality}) returned null; expected a tensor of shape [{batch}, {_options.EmbeddingDim}]."), nameof(input));
        if (embedding.dim() != 2 || embedding.shape[0] != batch || embedding.shape[1] != _options.EmbeddingDim)
        {
            throw new ArgumentException(
                Shapes.Message($"Encode(modality {modality}) returned shape {Shapes.Of(embedding)}; expected [B, EmbeddingDim] = [{batch}, {_options.EmbeddingDim}]."),
                nameof(input));
        }

        return embedding;
    }

    // Checks what can be checked before encoding; returns the batch size B and which modalities miss at least one row.
    private (long Batch, bool[] Missing) ValidateInput(BtwInput input)
    {
        var m = _options.Modalities;
        var modalities = input.Modalities
            ?? throw new ArgumentNullException(nameof(input), "BtwInput.Modalities is null.");
        if (modalities.Count != m)
        {
            throw new ArgumentException(
                Shapes.Message($"BtwInput.Modalities has {modalities.Count} tensors; expected one per modality, M = {m}."),
                nameof(input));
        }

        long batch = -1;
        for (var i = 0; i < m; i++)
        {
            var x = modalities[i]
                ?? throw new ArgumentNullException(nameof(input), Shapes.Message($"BtwInput.Modalities[{i}] (modality {i}) is null."));
            if (x.dim() == 0)
            {
                throw new ArgumentException(
                    Shapes.Message($"BtwInput.Modalities[{i}] (modality {i}) is a scalar; expected shape [B, ...]."), nameof(input));
            }

            if (i == 0)
            {
                batch = x.shape[0];
            }
            else if (x.shape[0] != batch)
            {
                throw new ArgumentException(
                    Shapes.Message($"BtwInput.Modalities[{i}] (modality {i}) has shape {Shapes.Of(x)}, batch size {x.shape[0]}; expected batch size B = {batch} as modality 0."),
                    nameof(input));
            }
        }

        var problem = BatchByModalityProblem(input.Weights, "BtwInput.Weights", batch, m)
            ?? BatchByModalityProblem(input.Present, "BtwInput.Present", batch, m);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(input));
        }

        var missing = MissingPerModality(input.Present, batch);
        return (batch, missing);
    }

    private static string? BatchByModalityProblem(Tensor? tensor, string what, long batch, int m)
    {
        if (tensor is null || (tensor.dim() == 2 && tensor.shape[0] == batch && tensor.shape[1] == m))
        {
            return null;
        }

        var problem = Shapes.Message($"{what} has shape {Shapes.Of(tensor)}; expected [B, M] = [{batch}, {m}] (M = BtwMoEOptions.Modalities).");
        return tensor.dim() == 2 && tensor.shape[0] == batch
            ? problem + Shapes.Message($" Weights and presence flags from a BtwWeighter have BtwOptions.Modalities columns: set it to {m}, the model's BtwMoEOptions.Modalities.")
            : problem;
    }

    /// <summary>
    /// Which modalities miss at least one row, length M (all false when <paramref name="present"/> is null), after checking
    /// the flags against the library's one presence contract (<see cref="Presence"/>: 0/1 only, a modality in every row).
    /// </summary>
    private bool[] MissingPerModality(Tensor? present, long batch)
    {
        var m = _options.Modalities;
        var missing = new bool[m];
        if (present is null || batch == 0)
        {
            return missing;
        }

        using var flags = Presence.Read(present, batch, m, "input");
        for (var i = 0; i < flags.Length; i++)
        {
            missing[i % m] |= flags[i] == 0;
        }

        return missing;
    }

    /// <summary>
    /// <paramref name="values"/> [B, ...] with the rows where modality <paramref name="modality"/> is missing replaced by
    /// zeros (<c>where</c>, not a product: 0 · NaN would stay NaN, in the forward pass and in the gradient).
    /// </summary>
    private static Tensor ZeroMissingRows(Tensor values, Tensor present, int modality)
    {
        var shape = new long[values.dim()];
        Array.Fill(shape, 1L);
        shape[0] = values.shape[0];
        var keep = AsPresence(present, values.device).select(1, modality).reshape(shape);
        return where(keep, values, zeros_like(values));
    }

    private static Tensor AsPresence(Tensor present, Device device)
    {
        var onDevice = present.detach().to(device);
        return onDevice.dtype == ScalarType.Bool ? onDevice : onDevice.ne(0);
    }
}
