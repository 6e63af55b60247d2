using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Btw.Modules;

/// <summary>One expert of the mixture: Linear(D, H) -> GELU -> dropout (training only) -> Linear(H, D), [N, D] -> [N, D].</summary>
internal sealed class ExpertNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly Linear output;
    private readonly double dropout;

    public ExpertNetwork(string name, long width, long hiddenWidth, double dropout)
        : base(name)
    {
        hidden = nn.Linear(width, hiddenWidth);
        output = nn.Linear(hiddenWidth, width);
        this.dropout = dropout;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.gelu(hidden.call(input));
        if (dropout > 0)
        {
            h = nn.functional.dropout(h, dropout, training);
        }

        return output.call(h).MoveToOuterDisposeScope();
    }
}
