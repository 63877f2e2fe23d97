"""Reference implementation of pairlab's default backtest rules (issue 12), in plain pandas/numpy.

Written straight from the rules text (docs/backtest.md), independently of the TypeScript code, for two uses:
  * scripts/fixtures/backtest.py builds test/fixtures/backtest.json with it (hedge from statsmodels RollingOLS);
  * bench/backtest.bench.ts times it against backtestPair on the same data (hedge from pandas rolling moments).
Run with Debian's Python (/usr/bin/python3: pandas 1.5.3, statsmodels 0.13.5, numpy).
"""
import math

import numpy as np
import pandas as pd


def hedge_statsmodels(cy, cx, window, method="lstsq"):
    """alpha_i, beta_i: OLS with intercept of close_y on close_x over bars i-W+1..i (statsmodels RollingOLS; "lstsq" is
    the exact method, "inv" the faster default)."""
    import statsmodels.api as sm
    from statsmodels.regression.rolling import RollingOLS

    params = RollingOLS(cy, sm.add_constant(cx), window=window).fit(method=method, params_only=True).params
    alpha = np.asarray(params[:, 0], dtype=float)
    beta = np.asarray(params[:, 1], dtype=float)
    return constant_x_nan(cx, window, alpha, beta)


def hedge_pandas(cy, cx, window):
    """The same fit from pandas rolling moments (series centred at their first value to avoid cancellation)."""
    y = pd.Series(cy - cy[0])
    x = pd.Series(cx - cx[0])
    beta = (y.rolling(window).cov(x) / x.rolling(window).var()).to_numpy()
    alpha_c = (y.rolling(window).mean() - beta * x.rolling(window).mean()).to_numpy()
    alpha = alpha_c + cy[0] - beta * cx[0]
    return constant_x_nan(cx, window, alpha, beta)


def constant_x_nan(cx, window, alpha, beta):
    """NaN where close_x is constant over the window (the rules: beta undefined)."""
    s = pd.Series(cx)
    constant = (s.rolling(window).max() == s.rolling(window).min()).to_numpy()
    alpha = np.where(constant, np.nan, alpha)
    beta = np.where(constant, np.nan, beta)
    return alpha, beta


def kalman_filter(cy, cx, delta, ve, scale="none"):
    """Chan (2013) example 3.3 with NumPy matrices: theta = [beta, alpha], Vw = delta/(1-delta)*I, theta0 = 0, P0 = 0.
    For t = 0..n-1, F = [x_t, 1]: R = P + Vw (R = P0 at t = 0); Q = F R F' + Ve; e = y_t - F theta; K = R F'/Q;
    theta += K e; P = R - K F R. scale "first" runs it on y/y0, x/x0 and maps back (beta*y0/x0, alpha*y0, e*y0; e/sqrt(Q)
    unchanged). Returns beta, alpha (after the update at t), e (forecast error) and z = e/sqrt(Q)."""
    sy, sx = (cy[0], cx[0]) if scale == "first" else (1.0, 1.0)
    y = np.asarray(cy, dtype=float) / sy
    x = np.asarray(cx, dtype=float) / sx
    n = len(y)
    vw = delta / (1 - delta) * np.eye(2)
    theta = np.zeros((2, 1))
    P = np.zeros((2, 2))
    beta, alpha, e, z = (np.empty(n) for _ in range(4))
    for t in range(n):
        F = np.array([[x[t], 1.0]])
        R = P + vw if t > 0 else P
        Q = (F @ R @ F.T)[0, 0] + ve
        err = y[t] - (F @ theta)[0, 0]
        K = R @ F.T / Q
        theta = theta + K * err
        P = R - K @ F @ R
        beta[t], alpha[t], e[t], z[t] = theta[0, 0] * sy / sx, theta[1, 0] * sy, err * sy, err / math.sqrt(Q)
    return beta, alpha, e, z


def kalman_signal(cy, cx, delta, ve, scale, warmup):
    """The Kalman hedge as the backtest reads it: beta_i after the update at bar i, the spread e_i (forecast error) and
    z_i = e_i / sqrt(Q_i); all NaN for the first `warmup` bars (theta0 = 0 is not a hedge ratio)."""
    beta, alpha, e, z = kalman_filter(cy, cx, delta, ve, scale)
    for a in (beta, alpha, e, z):
        a[:warmup] = np.nan
    return alpha, beta, e, z


def zscore(spread, window):
    """(s - rolling mean) / rolling sample std over `window` bars; NaN while the window holds a NaN or std is 0."""
    s = pd.Series(spread)
    std = s.rolling(window).std()
    z = (s - s.rolling(window).mean()) / std
    return np.where(std.to_numpy() > 0, z.to_numpy(), np.nan)


def backtest(time, open_y, close_y, open_x, close_x, hedge_window, z_window, entry, exit, notional,
             stop=None, capital=None, fee_bps=5.0, slippage_bps=0.0, funding=None, bar_seconds=None, hedge="statsmodels",
             kalman=None, quote_fills=None):
    """Runs the default rules. hedge: "statsmodels" (RollingOLS lstsq), "statsmodels-inv" (RollingOLS default), "pandas"
    (rolling cov/var) or "kalman" (kalman_signal with kalman=dict(delta, ve, scale, warmup); hedge_window and z_window
    unused). quote_fills: None (fills at open ± slippage) or dict(buy_y, sell_y, buy_x, sell_x) of per-bar fill prices
    (fills: "quotes": the ask / bid of the first quote at or after each bar open). Returns dict(trades, equity,
    position_y, position_x, z, beta, metrics)."""
    n = len(time)
    capital = 2 * notional if capital is None else capital
    if bar_seconds is None:
        bar_seconds = (time[1] - time[0]) / 1000
    if hedge == "kalman":
        alpha, beta, spread, z = kalman_signal(close_y, close_x, kalman["delta"], kalman["ve"], kalman["scale"], kalman["warmup"])
    else:
        if hedge == "pandas":
            alpha, beta = hedge_pandas(close_y, close_x, hedge_window)
        else:
            alpha, beta = hedge_statsmodels(close_y, close_x, hedge_window, "inv" if hedge == "statsmodels-inv" else "lstsq")
        spread = close_y - alpha - beta * close_x
        z = zscore(spread, z_window)

    # Funding: time T is charged at the first bar i with time_i >= T; rates landing on the same bar are summed.
    rate_y = np.zeros(n)
    rate_x = np.zeros(n)
    if funding is not None:
        idx = np.searchsorted(time, np.asarray(funding["time"], dtype=float), side="left")
        for k, i in enumerate(idx):
            if i < n:
                rate_y[i] += funding["y"][k]
                rate_x[i] += funding["x"][k]

    fee = fee_bps / 1e4
    slip = slippage_bps / 1e4
    state = "flat"            # the decided position
    pending = None            # (kind, beta, signal time) waiting for the next open
    units_y = units_x = 0.0   # position held
    entry_y = entry_x = 0.0   # entry fill prices
    realised = fees = funding_paid = 0.0
    trades = []
    current = None
    equity = np.empty(n)
    pos_y = np.empty(n)
    pos_x = np.empty(n)
    held = 0

    def fill_price(open_price, units_traded, leg=None, i=None):
        if quote_fills is not None:
            return quote_fills["buy_" + leg][i] if units_traded > 0 else quote_fills["sell_" + leg][i]
        return open_price * (1 + slip) if units_traded > 0 else open_price * (1 - slip)

    for i in range(n):
        # 1. funding on the position held before this bar's fills
        if current is not None and (rate_y[i] != 0 or rate_x[i] != 0):
            c = units_y * open_y[i] * rate_y[i] + units_x * open_x[i] * rate_x[i]
            funding_paid += c
            current["funding"] += c
        # 2. fill the decision of the previous close at this open
        if pending is not None:
            kind, b, signal_time, reason = pending
            if kind == "enter":
                side = 1 if reason == "long" else -1
                qty_y = notional / open_y[i]
                qty_x = b * qty_y
                units_y = side * qty_y
                units_x = -side * qty_x
                entry_y = fill_price(open_y[i], units_y, "y", i)
                entry_x = fill_price(open_x[i], units_x, "x", i)
                f = fee * (abs(units_y) * entry_y + abs(units_x) * entry_x)
                fees += f
                current = dict(side=reason, entrySignalTime=signal_time, entryTime=time[i], entryPriceY=entry_y,
                               entryPriceX=entry_x, beta=b, qtyY=qty_y, qtyX=qty_x, fees=f, funding=0.0, entryIndex=i)
            else:
                exit_y = fill_price(open_y[i], -units_y, "y", i)
                exit_x = fill_price(open_x[i], -units_x, "x", i)
                gross = units_y * (exit_y - entry_y) + units_x * (exit_x - entry_x)
                f = fee * (abs(units_y) * exit_y + abs(units_x) * exit_x)
                fees += f
                realised += gross
                current["fees"] += f
                current.update(exitSignalTime=signal_time, exitTime=time[i], exitPriceY=exit_y, exitPriceX=exit_x,
                               exitReason=reason, grossPnl=gross, barsHeld=i - current["entryIndex"])
                current["netPnl"] = gross - current["fees"] - current["funding"]
                trades.append(current)
                current = None
                units_y = units_x = 0.0
            pending = None
        # 3. mark at the close
        marked = units_y * (close_y[i] - entry_y) + units_x * (close_x[i] - entry_x) if current is not None else 0.0
        equity[i] = capital + realised + marked - fees - funding_paid
        pos_y[i] = units_y
        pos_x[i] = units_x
        if current is not None:
            held += 1
        # 4. decide at the close (only on a finite z); a decision at the last bar is not filled
        zi = z[i]
        if not math.isfinite(zi):
            continue
        decision = None
        if state == "flat":
            if zi <= -entry:
                decision = ("enter", "long")
            elif zi >= entry:
                decision = ("enter", "short")
        elif state == "long":
            if stop is not None and zi <= -stop:
                decision = ("exit", "stop")
            elif zi >= -exit:
                decision = ("exit", "exit")
        else:
            if stop is not None and zi >= stop:
                decision = ("exit", "stop")
            elif zi <= exit:
                decision = ("exit", "exit")
        if decision is None:
            continue
        state = decision[1] if decision[0] == "enter" else "flat"
        if i < n - 1:
            pending = (decision[0], beta[i], time[i], decision[1])

    if current is not None:
        gross = units_y * (close_y[-1] - entry_y) + units_x * (close_x[-1] - entry_x)
        current.update(exitSignalTime=float("nan"), exitTime=float("nan"), exitPriceY=close_y[-1], exitPriceX=close_x[-1],
                       exitReason="open", grossPnl=gross, barsHeld=n - current["entryIndex"])
        current["netPnl"] = gross - current["fees"] - current["funding"]
        trades.append(current)
    for t in trades:
        del t["entryIndex"]

    e = pd.Series(equity)
    r = e.pct_change().iloc[1:]
    std = r.std()
    closed = [t for t in trades if t["exitReason"] != "open"]
    metrics = dict(
        totalReturn=equity[-1] / capital - 1,
        sharpe=float(r.mean() / std * math.sqrt(365 * 86400 / bar_seconds)) if std > 0 else float("nan"),
        maxDrawdown=float((1 - e / e.cummax()).max()),
        trades=len(closed),
        winRate=sum(1 for t in closed if t["netPnl"] > 0) / len(closed) if closed else float("nan"),
        feesPaid=fees,
        fundingPaid=funding_paid,
        exposure=held / n,
    )
    return dict(trades=trades, equity=equity, position_y=pos_y, position_x=pos_x, z=z, beta=beta, metrics=metrics)
