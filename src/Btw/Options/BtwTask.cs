namespace Btw;

/// <summary>The kind of prediction the model makes, which decides how divergences and mutual information are computed.</summary>
public enum BtwTask
{
    /// <summary>Outputs are logits of shape [B, C]; divergences are categorical KL, MI is the plug-in MI of the predicted labels.</summary>
    Classification = 0,

    /// <summary>Outputs are means of shape [B] or [B, 1], or (mean, log-variance) of shape [B, 2]; divergences are Gaussian KL, MI is the KSG estimate.</summary>
    Regression = 1,
}
