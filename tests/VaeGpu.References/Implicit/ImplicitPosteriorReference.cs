using MathNet.Numerics;

namespace VaeGpu.References;

/// <summary>
/// The Gamma and Dirichlet encoders' step in double (ImplicitPosteriorKernels' oracle), from the Gammas' logs (an
/// input: the draws are the counter-based sampler's, which tests take from the kernels' own sampler) and MathNet's
/// special functions. Parameters: softplus(head) plus the floors 1e-3 (Gamma's shape and rate) and 1e-2 (Dirichlet's
/// concentrations); priors Gamma(1, 1) per dimension and Dirichlet(1, ..., 1). The gradient is stated twice: in closed
/// form through the implicit derivatives (GammaReference), and as the loss along the inverse CDF, u = P(a, G) held
/// fixed while a moves (MathNet's GammaLowerRegularizedInv), for central differences.
/// </summary>
public static class ImplicitPosteriorReference
{
    const double GammaFloor = 1e-3, ConcentrationFloor = 1e-2, PriorShape = 1, PriorRate = 1, PriorConcentration = 1;

    static double Softplus(double h) => Math.Log(1 + Math.Exp(h));

    static double Sigmoid(double h) => 1 / (1 + Math.Exp(-h));

    static double Trigamma(double x) => (SpecialFunctions.DiGamma(x + 1e-6 * x) - SpecialFunctions.DiGamma(x - 1e-6 * x)) / (2e-6 * x);

    /// <summary>KL(Gamma(a, b) || Gamma(1, 1)) in closed form.</summary>
    public static double GammaKl(double shape, double rate) =>
        (shape - PriorShape) * SpecialFunctions.DiGamma(shape) - SpecialFunctions.GammaLn(shape) + SpecialFunctions.GammaLn(PriorShape)
        + PriorShape * Math.Log(rate / PriorRate) + shape * (PriorRate - rate) / rate;

    /// <summary>KL(Dirichlet(alpha) || Dirichlet(1, ..., 1)) in closed form.</summary>
    public static double DirichletKl(double[] alpha)
    {
        double total = alpha.Sum(), prior = alpha.Length * PriorConcentration;
        return SpecialFunctions.GammaLn(total) - alpha.Sum(SpecialFunctions.GammaLn) - SpecialFunctions.GammaLn(prior)
            + alpha.Length * SpecialFunctions.GammaLn(PriorConcentration)
            + alpha.Sum(a => (a - PriorConcentration) * (SpecialFunctions.DiGamma(a) - SpecialFunctions.DiGamma(total)));
    }

    /// <summary>Gamma: z row r from head row r / K and logGammas[r d + j]; per row KL and log p(z) - log q(z|x).</summary>
    public static (double[] Z, double[] Kl, double[] LogRatio) GammaForward(float[] head, int latent, double[] logGammas, int drawsPerImage)
    {
        int rows = logGammas.Length / latent;
        var (z, kl, logRatio) = (new double[logGammas.Length], new double[rows], new double[rows]);
        for (int row = 0; row < rows; row++)
            for (int j = 0; j < latent; j++)
            {
                int image = row / drawsPerImage;
                double shape = GammaFloor + Softplus(head[image * 2 * latent + j]), rate = GammaFloor + Softplus(head[image * 2 * latent + latent + j]);
                double logZ = logGammas[row * latent + j] - Math.Log(rate);
                z[row * latent + j] = Math.Exp(logZ);
                kl[row] += GammaKl(shape, rate);
                double logQ = shape * Math.Log(rate) + (shape - 1) * logZ - Math.Exp(logZ) * rate - SpecialFunctions.GammaLn(shape);
                double logP = PriorShape * Math.Log(PriorRate) + (PriorShape - 1) * logZ - Math.Exp(logZ) * PriorRate - SpecialFunctions.GammaLn(PriorShape);
                logRatio[row] += logP - logQ;
            }
        return (z, kl, logRatio);
    }

    /// <summary>Dirichlet: z row r (its coordinates) from head row r / K and logGammas; per row KL and log p(z) - log q(z|x).</summary>
    public static (double[] Z, double[] Kl, double[] LogRatio) DirichletForward(float[] head, int latent, double[] logGammas, int drawsPerImage)
    {
        int rows = logGammas.Length / latent;
        var (z, kl, logRatio) = (new double[logGammas.Length], new double[rows], new double[rows]);
        for (int row = 0; row < rows; row++)
        {
            int image = row / drawsPerImage;
            double[] alpha = Enumerable.Range(0, latent).Select(j => ConcentrationFloor + Softplus(head[image * latent + j])).ToArray();
            double[] coordinates = DirichletReference.Coordinates(logGammas.Skip(row * latent).Take(latent).ToArray());
            coordinates.CopyTo(z, row * latent);
            kl[row] = DirichletKl(alpha);
            double logQ = SpecialFunctions.GammaLn(alpha.Sum()) - alpha.Sum(SpecialFunctions.GammaLn) + alpha.Select((a, j) => (a - 1) * Math.Log(coordinates[j])).Sum();
            logRatio[row] = SpecialFunctions.GammaLn(latent * PriorConcentration) - logQ;
        }
        return (z, kl, logRatio);
    }

    /// <summary>dHead of sum dz . z + w KL in closed form, one draw per head row.</summary>
    public static double[] GammaBackward(float[] head, int latent, double[] logGammas, float[] dz, double klWeight)
    {
        var dHead = new double[head.Length];
        for (int index = 0; index < logGammas.Length; index++)
        {
            int row = index / latent, j = index % latent;
            double shapeHead = head[row * 2 * latent + j], rateHead = head[row * 2 * latent + latent + j];
            double shape = GammaFloor + Softplus(shapeHead), rate = GammaFloor + Softplus(rateHead);
            double z = Math.Exp(logGammas[index]) / rate;
            double dShape = dz[index] * z * GammaReference.LogDerivative(shape, logGammas[index])
                + klWeight * ((shape - PriorShape) * Trigamma(shape) + PriorRate / rate - 1);
            double dRate = -dz[index] * z / rate + klWeight * (PriorShape / rate - shape * PriorRate / (rate * rate));
            dHead[row * 2 * latent + j] = dShape * Sigmoid(shapeHead);
            dHead[row * 2 * latent + latent + j] = dRate * Sigmoid(rateHead);
        }
        return dHead;
    }

    /// <summary>dHead of sum dz . z + w KL in closed form (DirichletReference's Jacobian), one draw per head row.</summary>
    public static double[] DirichletBackward(float[] head, int latent, double[] logGammas, float[] dz, double klWeight)
    {
        var dHead = new double[head.Length];
        int rows = logGammas.Length / latent;
        for (int row = 0; row < rows; row++)
        {
            double[] alpha = Enumerable.Range(0, latent).Select(j => ConcentrationFloor + Softplus(head[row * latent + j])).ToArray();
            double[] upstream = Enumerable.Range(0, latent).Select(j => (double)dz[row * latent + j]).ToArray();
            double[] throughZ = DirichletReference.ConcentrationGradient(alpha, logGammas.Skip(row * latent).Take(latent).ToArray(), upstream);
            double total = alpha.Sum();
            for (int j = 0; j < latent; j++)
            {
                double klGradient = (alpha[j] - PriorConcentration) * Trigamma(alpha[j]) - Trigamma(total) * (total - latent * PriorConcentration);
                dHead[row * latent + j] = (throughZ[j] + klWeight * klGradient) * Sigmoid(head[row * latent + j]);
            }
        }
        return dHead;
    }

    /// <summary>
    /// sum dz . z + w KL at <paramref name="head"/>, each Gamma moved along its inverse CDF from the quantile u it has
    /// at <paramref name="drawnAt"/> (the head the logGammas were drawn at): the loss whose derivative the implicit
    /// gradient is.
    /// </summary>
    public static double Loss(Posterior posterior, float[] drawnAt, double[] head, int latent, double[] logGammas, float[] dz, double klWeight)
    {
        int rows = logGammas.Length / latent;
        double Shape(double[] h, int row, int j) => posterior == Posterior.Gamma ? GammaFloor + Softplus(h[row * 2 * latent + j]) : ConcentrationFloor + Softplus(h[row * latent + j]);
        double loss = 0;
        for (int row = 0; row < rows; row++)
        {
            double[] moved = new double[latent];
            for (int j = 0; j < latent; j++)
            {
                double drawnShape = Shape(drawnAt.Select(v => (double)v).ToArray(), row, j);
                double quantile = SpecialFunctions.GammaLowerRegularized(drawnShape, Math.Exp(logGammas[row * latent + j]));
                moved[j] = SpecialFunctions.GammaLowerRegularizedInv(Shape(head, row, j), quantile);
            }
            if (posterior == Posterior.Gamma)
                for (int j = 0; j < latent; j++)
                {
                    double rate = GammaFloor + Softplus(head[row * 2 * latent + latent + j]);
                    loss += dz[row * latent + j] * moved[j] / rate + klWeight * GammaKl(Shape(head, row, j), rate);
                }
            else
            {
                double sum = moved.Sum();
                for (int j = 0; j < latent; j++) loss += dz[row * latent + j] * moved[j] / sum;
                loss += klWeight * DirichletKl(Enumerable.Range(0, latent).Select(j => Shape(head, row, j)).ToArray());
            }
        }
        return loss;
    }
}
