"""Simplified Chinese for the messages that come from kefu's C++ core (rules loading and ``kefu lint``
findings, rule-test failures, ``kefu.Error`` texts): issue #14, "messages for rule authors in Simplified
Chinese". Internal: :func:`kefu.i18n.localize_error` is the way in.

The C++ core speaks English (its messages are part of its tests and of logs); this table translates them
on the way to a reader who asked for ``--lang zh``, without touching the C++:

* :data:`HEADLINES`: a Chinese headline for every error id of docs/errors.md and every ``kefu.lint.<check>``
  warning. A message no pattern covers is shown as ``headline：English detail`` — never a guessed translation.
* :data:`PREFIXES`: the context the core puts in front of a message (``file:L:C: ``, ``rule X: ``,
  ``row 3: ``, ``policy 'refund': ``, ``resolution deadline (…): ``); translated, and the rest on its own.
* :data:`PATTERNS`: the concrete English messages, as regular expressions matching the whole message, and
  their Chinese, first match wins. Identifiers, file paths, values and rule ids are kept as they are.

Templates are ``str.format`` strings over the pattern's named groups. A group's name says what becomes of it:
``t_…`` is itself a message (or a phrase) and is translated with these same tables — when it cannot be, the
pattern does not apply; ``diffs`` is what a failing rule test got wrong (:data:`DIFFERENCES`, joined by
``; ``); ``v_…`` is a value, ``(not set)`` → ``（未设置）``; the optional groups of ``_OPTIONAL_PARTS``
(``dym``, the did-you-mean hint `` (did you mean 'x'?)`` → ``（是否想写 'x'？）``, ``more_cases``, …) add
their own Chinese when they matched; any other group is copied as it is.

Terms, used the same way throughout: 规则 rule, 规则集 policy (as ``kefu rules`` says), 输入 input, 输出
output, 取值 value, 事实 fact, 事实词汇表 facts vocabulary, 条件 condition, 规则测试 rule test, 用例 case,
日历 calendar, 关键词组 keyword set, 否定词 negation cue, 键 key, KPI 目标 targets, 指标 metric,
评分卡 scorecard, 命名时钟 named clock, 里程碑 milestone, 版本 version, 命中策略 hit policy.
"""

from __future__ import annotations

#: A Chinese headline for every error id (docs/errors.md) and lint warning (``kefu.lint.<check>``).
HEADLINES: dict[str, str] = {
    # docs/errors.md, first table
    "kefu.error": "kefu 出错",
    "kefu.parse": "无法读取",
    "kefu.policy": "规则文件有误",
    "kefu.calendar.out_of_range": "日期超出日历数据范围",
    "kefu.ticket.transition": "工单不接受该事件",
    "kefu.kpi.column": "KPI 记录列有误",
    "kefu.money.overflow": "金额运算溢出",
    "kefu.rules.overflow": "规则条件中的运算溢出",
    # KPIs
    "kefu.kpi.partial": "KPI 中间结果无法读取",
    "kefu.kpi.options": "KPI 选项不一致，无法合并",
    "kefu.kpi.metric": "没有该 KPI 指标",
    "kefu.kpi.training": "培训考核数据有误",
    "kefu.kpi.targets": "KPI 目标文件有误",
    "kefu.kpi.scorecard": "评分卡有误",
    # Tickets
    "kefu.ticket.deescalation": "降低处理层级需要说明理由",
    "kefu.ticket.upward_report": "需先完成一级上报",
    "kefu.ticket.unknown_event": "未知的工单事件",
    "kefu.ticket.unknown_tier": "未知的处理层级",
    "kefu.ticket.open": "无法创建工单",
    "kefu.ticket.plan": "工单计划有误",
    "kefu.ticket.snapshot": "工单快照有误",
    "kefu.ticket.replay": "事件日志有误",
    "kefu.ticket.milestone": "里程碑有误",
    "kefu.ticket.named_clock": "命名时钟无法用于该工单",
    # Rules
    "kefu.rules.negative_fact": "事实取值不能为负",
    "kefu.rules.condition": "规则条件有误",
    "kefu.rules.unknown_input": "未知的输入",
    "kefu.rules.unknown_keyword_set": "未知的关键词组",
    "kefu.rules.too_deep": "规则条件嵌套过深",
    "kefu.rules.unknown_output": "未知的输出",
    "kefu.rules.missing_input": "缺少输入",
    "kefu.rules.bad_value": "取值无法读取",
    "kefu.rules.unknown_value": "不在可选取值之内",
    "kefu.rules.type_mismatch": "取值类型不符",
    "kefu.rules.no_match": "没有规则匹配",
    "kefu.rules.not_unique": "多条规则同时匹配",
    "kefu.rules.column": "数据列有误",
    "kefu.rules.from_facts": "无法从事实词汇表取得取值",
    "kefu.rules.unknown_rule": "未知的规则",
    "kefu.rules.rule_test": "规则测试未通过",
    "kefu.rules.versions": "规则版本有误",
    "kefu.rules.unknown_version": "未知的规则版本",
    "kefu.rules.actions": "处理动作目录有误",
    "kefu.rules.clocks": "命名时钟有误",
    "kefu.rules.vocabulary": "与事实词汇表不一致",
    "kefu.rules.unknown_fact": "未知的事实",
    "kefu.rules.derived_fact": "推导事实不能直接给出",
    "kefu.rules.missing_fact": "缺少事实",
    # kefu lint's warnings (src/rules/analysis.cpp, src/rules/policy_loader.cpp, python/kefu/authoring.py)
    "kefu.lint.calendar_horizon": "日历官方数据即将用完",
    "kefu.lint.unreachable_rule": "规则永远不会触发",
    "kefu.lint.overlap": "规则重叠",
    "kefu.lint.gap": "有情形没有规则覆盖",
    "kefu.lint.negation_cue": "否定词永远不会生效",
    "kefu.lint.negation_not_cue": "非否定词永远不会生效",
    "kefu.lint.keyword_exception": "关键词例外永远不会生效",
    "kefu.lint.unused_keywords": "关键词组未被使用",
}

_Q = r"'(?P<{}>[^']*)'"  # a quoted name, kept as it is
_DYM = r"(?: \(did you mean '(?P<dym>[^']*)'\?\))?"

#: Context in front of a message, and the Chinese of that context; the group ``t_rest`` is the message.
PREFIXES: tuple[tuple[str, str], ...] = (
    (r"(?P<loc>\S+?:\d+(?::\d+)?): (?P<t_rest>.+)", "{loc}: {t_rest}"),  # kept as it is: editors read it
    (r"rule (?P<rule>\S+): (?P<t_rest>.+)", "规则 {rule}：{t_rest}"),
    (r"row (?P<row>\d+) \(ticket '(?P<ticket>[^']*)'\): (?P<t_rest>.+)", "第 {row} 行（工单 '{ticket}'）：{t_rest}"),
    (r"row (?P<row>\d+): (?P<t_rest>.+)", "第 {row} 行：{t_rest}"),
    (r"policy " + _Q.format("policy") + r": (?P<t_rest>.+)", "规则集 '{policy}'：{t_rest}"),
    (r"policy " + _Q.format("policy") + r" \(hit policy unique\): (?P<t_rest>.+)",
     "规则集 '{policy}'（命中策略 unique）：{t_rest}"),
    (r"(?P<t_what>first_response|resolution|follow_up|target) deadline \((?P<within>.+?) on (?P<cal>[^()]+)\): "
     r"(?P<t_rest>.+)", "{t_what}时限（{within}，日历 {cal}）：{t_rest}"),
    (r"action catalogue, action " + _Q.format("action") + r": (?P<t_rest>.+)", "处理动作目录，动作 '{action}'：{t_rest}"),
    (r"expected value of output " + _Q.format("name") + r": (?P<t_rest>.+)", "输出 '{name}' 的期望值：{t_rest}"),
    (r"(?P<t_noun>input|output|expected output|fact|default) " + _Q.format("name") + r": (?P<t_rest>.+)",
     "{t_noun} '{name}'：{t_rest}"),
    (r"(?P<t_who>(?:calendar|scorecard|clock|milestone|channel|sla|item|bonus) '[^']*'): (?P<t_rest>.+)", "{t_who}：{t_rest}"),
    (r"(?P<t_who>(?:item|bonus) '[^']*') value: (?P<t_rest>.+)", "{t_who}的 value：{t_rest}"),
    (r"(?P<what>promotion|disciplinary_review) " + _Q.format("key") + r": (?P<t_rest>.+)", "{what} 的 '{key}'：{t_rest}"),
    (r"`(?P<key>[a-z_.]+)`: (?P<t_rest>.+)", "`{key}`：{t_rest}"),
)

#: What a failing rule-test case got wrong (src/rules/suite.cpp, check_suite), each of the ``; ``-joined parts
#: of the ``diffs`` group of the "rule test '…' fails: …" message; a part none of these match is a message
#: (the case's error) and goes through :data:`PATTERNS`.
DIFFERENCES: tuple[tuple[str, str], ...] = (
    (r"rule expected (?P<exp>.*), got (?P<act>.*)", "触发的规则期望 {exp}，实际 {act}"),
    (r"(?P<rule>\S+) expected fires, got does not fire", "规则 {rule} 期望触发，实际未触发"),
    (r"(?P<rule>\S+) (?P<out>\S+) expected (?P<v_exp>.*), got (?P<v_act>.*)",
     "规则 {rule} 的输出 {out} 期望 {v_exp}，实际 {v_act}"),
    (r"(?P<out>\S+) expected (?P<v_exp>.*), got (?P<v_act>.*)", "输出 {out} 期望 {v_exp}，实际 {v_act}"),
)

_HORIZON_TAIL = r"load the next holiday notice \(kefu calendar notice\) / 官方节假日数据即将用完，请导入下一年度国务院通知"

#: The concrete messages (matched whole, first match wins) and their Chinese.
PATTERNS: tuple[tuple[str, str], ...] = (
    # --- phrases that other messages are made of ---------------------------------------------------------
    (r"input", "输入"), (r"output", "输出"), (r"expected output", "期望输出"), (r"fact", "事实"),
    (r"default", "默认值"), (r"first_response", "首次响应"), (r"resolution", "解决"), (r"follow_up", "回访"),
    (r"target", "目标"),
    (r"calendar (?P<n>'[^']*')", "日历 {n} "), (r"scorecard (?P<n>'[^']*')", "评分卡 {n} "),
    (r"clock (?P<n>'[^']*')", "命名时钟 {n} "), (r"milestone (?P<n>'[^']*')", "里程碑 {n} "),
    (r"channel (?P<n>'[^']*')", "渠道 {n} "), (r"sla (?P<n>'[^']*')", "SLA {n} "), (r"item (?P<n>'[^']*')", "评分项 {n} "),
    (r"bonus (?P<n>'[^']*')", "加分项 {n} "), (r"keyword set (?P<n>'[^']*')", "关键词组 {n} "),
    (r"(?P<key>`[^`]+`)", "{key} "),  # a key of a rules file, as it is written
    (r"a facts file", "事实词汇表文件"), (r"a policy", "规则集"), (r"a rule", "规则"), (r"a case", "用例"),
    (r"a rule-test file", "规则测试文件"), (r"a calendar", "日历"), (r"a shift", "班次"), (r"a version", "版本"),
    (r"a targets file", "KPI 目标文件"), (r"a scorecard file", "评分卡文件"), (r"a scorecard item", "评分项"),
    (r"a bonus entry", "加分项"), (r"a metric goal", "指标目标"), (r"an sla entry", "SLA 条目"),
    (r"a negation cue", "否定词"), (r"`projection`", "`projection`"), (r"`training`", "`training`"),
    (r"`promotion`", "`promotion`"), (r"`disciplinary_review`", "`disciplinary_review`"),
    (r"`service_star`", "`service_star`"), (r"the policy's `negation`", "规则集的 `negation`"),
    (r"the `negation` of keyword set (?P<n>'[^']*')", "关键词组 {n} 的 `negation`"),
    (r"(?P<t_noun>input|output|fact) (?P<n>'[^']*')", "{t_noun} {n} "),
    (r"holiday", "节假日"), (r"make-up working day", "调休上班日"), (r"special day", "特殊日期"),
    (r"not set", "未设置"),

    # --- rule tests (src/rules/suite.cpp) ----------------------------------------------------------------
    (r"rule test '(?P<case>.*)' fails: (?P<diffs>.+?)"
     r"(?: \(and (?P<more_cases>\d+) more failing cases? in this file\))?(?: / 规则测试未通过)?",
     "规则测试 '{case}' 未通过：{diffs}{more_cases}"),
    (r"policy " + _Q.format("policy") + r" has no rule " + _Q.format("rule") + _DYM
     + r" \(`default` means that no rule fires\)", "规则集 '{policy}' 没有规则 '{rule}'{dym}（`default` 表示没有规则触发）"),
    (r"policy " + _Q.format("policy") + r" has no (?P<t_what>input|output|rule) " + _Q.format("name") + _DYM,
     "规则集 '{policy}' 没有{t_what} '{name}'{dym}"),
    (r"policy " + _Q.format("policy") + r" has no output (?P<n>\d+)", "规则集 '{policy}' 没有第 {n} 个输出"),
    (r"`expect_each` is for hit policy collect, where every rule that applies fires; policy " + _Q.format("policy")
     + r" is hit policy (?P<hit>\S+): check its decision with `expect`",
     "`expect_each` 用于命中策略 collect（每条适用的规则都会触发）；规则集 '{policy}' 的命中策略是 {hit}：请用 `expect` 检查其决定"),
    (r"a rule-test file must be a mapping starting with `suite: NAME`", "规则测试文件必须是以 `suite: 名称` 开头的映射"),
    (r"a rule-test file needs `policy:`, the path of the policy it tests", "规则测试文件需要 `policy:`，即所测规则集文件的路径"),
    (r"a rule-test file needs `cases:`, a list of cases", "规则测试文件需要 `cases:`，即用例列表"),
    (r"a case must be a mapping with name, input and expect", "用例必须是包含 name、input 和 expect 的映射"),
    (r"give `rule:` or `rules:`, not both", "请只写 `rule:` 或 `rules:` 之一"),
    (r"`rules` must be a list of rule ids", "`rules` 必须是规则 id 的列表"),
    (r"`expect_each` must map rule ids to the outputs each decides, e\.g\. (?P<eg>.+)",
     "`expect_each` 必须把规则 id 映射到该规则决定的输出，例如 {eg}"),
    (r"a case needs `expect:`, `expect_each:` or `rule:` \(what it checks\)",
     "用例需要 `expect:`、`expect_each:` 或 `rule:`（它要检查的内容）"),
    (r"(?P<what>.+) must be a mapping of names to values", "{what} 必须是名称到取值的映射"),

    # --- values (src/rules/value.cpp) --------------------------------------------------------------------
    (r"bad bool (?P<v>'[^']*'): write (?P<meant>true|false) \(a yes/no value is true or false / 请写 (?:true|false)\)",
     "布尔值 {v} 无法读取：请写 {meant}（是/否取值只能写 true 或 false）"),
    (r"bad bool (?P<v>'.*'): expected true or false", "布尔值 {v} 无法读取：应为 true 或 false"),
    (r"bad (?P<type>int|decimal|money|duration|date|datetime) (?P<v>'.*'): expected (?P<t_exp>.+)",
     "{type} 取值 {v} 无法读取：应为{t_exp}"),
    (r"a whole number such as 3", "整数，例如 3"), (r"a number with at most 6 decimals", "最多 6 位小数的数"),
    (r"a wall-clock duration such as 90s, 10min or 2h", "按自然时间计的时长，例如 90s、10min 或 2h"),
    (r"an existing date as YYYY-MM-DD", "存在的日期，格式 YYYY-MM-DD"),
    (r"a date-time such as (?P<eg>\S+)", "日期时间，例如 {eg}"),
    (r"(?P<v>'.*') is not one of (?P<values>.+?)" + _DYM, "{v} 不是可选取值之一（可选：{values}）{dym}"),
    (r"(?P<v>'.*') is not one of its values" + _DYM, "{v} 不是它的可选取值{dym}"),
    (r"expected (?P<t_what>.+?), got (?P<typ>[\w.]+)", "应为{t_what}，实际给的是 Python {typ}"),
    (r"a date \(not a datetime\)", "日期（不是日期时间）"), (r"a date", "日期"), (r"a datetime", "日期时间"),
    (r"text", "文本"), (r"a list or set of values", "取值的列表或集合"), (r"a list of text values", "文本取值的列表"),
    (r"money \(kefu\.Money, int, Decimal or text\)", "金额（kefu.Money、int、Decimal 或文本）"), (r"money", "金额"),
    (r"a timedelta or text such as '2h'", "timedelta 或文本（例如 '2h'）"),
    (r"money cannot be a float \(inexact\); pass text, a Decimal or kefu\.Money \(a CSV read by pandas\.read_csv "
     r"gives floats: read it with kefu\.read_tickets\(path\), or pd\.read_csv\(path, dtype=(?P<dtype>\{[^}]*\})\)\)",
     "金额不能是 float（不精确）：请传入文本、Decimal 或 kefu.Money（pandas.read_csv 读出的 CSV 是 float：请用 "
     "kefu.read_tickets(path) 读取，或 pd.read_csv(path, dtype={dtype})）"),
    (r"bad amount '(?P<v>[^']*)': (?P<t_why>.+)", "金额 '{v}' 无法读取：{t_why}"),
    (r"no digits", "没有数字"), (r"no digits before the decimal point", "小数点前没有数字"),
    (r"no digits after the decimal point", "小数点后没有数字"),
    (r"more than two decimal places \(amounts are exact to the fen\)", "小数超过两位（金额精确到分）"),
    (r"thousands separators must group digits by three", "千位分隔符必须每三位一组"),
    (r"unexpected character", "意外的字符"), (r"amount too large", "金额太大"),
    (r"the number (?P<n>-?\d+) is out of range \(whole numbers between (?P<lo>-?\d+) and (?P<hi>-?\d+)\)",
     "数 {n} 超出范围（整数须在 {lo} 到 {hi} 之间）"),
    (r"the text is not valid Unicode \(it holds a lone surrogate\)", "文本不是有效的 Unicode（含有孤立的代理字符）"),

    # --- evaluation (docs/errors.md, Rules) --------------------------------------------------------------
    (r"missing input\(s\) (?P<names>.+)", "缺少输入：{names}"),
    (r"no rule matches and there is no default", "没有规则匹配，且没有 `default`"),
    (r"rules (?P<a>\S+) and (?P<b>\S+) both match", "规则 {a} 和 {b} 同时匹配"),
    (r"unknown fact " + _Q.format("name") + _DYM, "未知的事实 '{name}'{dym}"),
    (r"fact " + _Q.format("name") + r" cannot be negative \(got (?P<v>.+)\)", "事实 '{name}' 不能为负（给出的是 {v}）"),
    (r"fact " + _Q.format("name") + r" is derived \((?P<how>.+)\); do not give it", "事实 '{name}' 是推导出来的（{how}）：请不要直接给出"),
    (r"missing fact\(s\) (?P<names>.+?): the customer value index \(policy " + _Q.format("policy")
     + r"\) needs all of its facts, or give customer_tier",
     "缺少事实：{names}：客户价值指数（规则集 '{policy}'）需要它的全部事实，或者直接给出 customer_tier"),
    (r"missing fact\(s\) (?P<names>.+)", "缺少事实：{names}"),
    (r"arithmetic overflow in (?P<expr>`.*`|a condition): the result is beyond the range of whole numbers "
     r"\(±9\.2e18; money ±¥92 trillion\)", "{expr} 运算溢出：结果超出整数范围（±9.2e18；金额 ±¥92 万亿）"),

    # --- conditions (src/rules/condition_syntax.cpp, src/rules/expression.cpp) ---------------------------
    (r"unknown input " + _Q.format("name") + _DYM, "未知的输入 '{name}'{dym}"),
    (r"'(?P<v>[^']*)' is not a value of (?P<input>\S+) \(values: (?P<values>[^()]*)\)" + _DYM,
     "'{v}' 不是输入 {input} 的取值（可选：{values}）{dym}"),
    (r"write (?P<meant>true|false), not '(?P<v>[^']*)' \(a yes/no input is true or false / 请写 (?:true|false)\)",
     "请写 {meant}，而不是 '{v}'（是/否输入只能写 true 或 false）"),
    (r"full-width '(?P<wide>[^']*)' here: use ASCII '(?P<ascii>[^']*)' \(switch the input method to half-width "
     r"punctuation / 请改用半角 '[^']*'\)", "这里是全角的 '{wide}'：请改用半角 '{ascii}'（把输入法切换为半角标点）"),
    (r"bad date '(?P<v>[^']*)': expected an existing date as YYYY-MM-DD", "日期 '{v}' 无法读取：应为存在的日期，格式 YYYY-MM-DD"),
    (r"only wall-clock durations \(s, min, h, d\) can be literals", "只有按自然时间计的时长（s、min、h、d）可以直接写在条件里"),
    (r"text literal is not closed", "文本没有闭合的引号"),
    (r"unexpected character '(?P<c>.)'", "意外的字符 '{c}'"),
    (r"use '==' to compare \('=' is not an operator\)", "比较请用 '=='（'=' 不是运算符）"),
    (r"use '(?P<w>and|or|not)' instead of '(?P<op>&&|\|\||!)'", "请用 '{w}' 代替 '{op}'"),
    (r"empty condition \(write `when: true` for a rule that always applies\)",
     "条件为空（总是适用的规则请写 `when: true`）"),
    (r"unexpected '(?P<tok>.*)' after a complete condition", "条件已经完整，后面却出现了 '{tok}'"),
    (r"expected '(?P<tok>[^']*)' (?P<t_where>.+?) \(the condition ended\)", "缺少 '{tok}'，{t_where}（条件已结束）"),
    (r"expected '(?P<tok>[^']*)' (?P<t_where>.+?), found '(?P<found>.*)'", "缺少 '{tok}'，{t_where}，这里却是 '{found}'"),
    (r"between the ends of a range such as \[0\.\.7\]", "用于分隔区间的两端，例如 [0..7]"),
    (r"to close the range", "用于闭合区间"), (r"to close the set", "用于闭合集合"), (r"to close '\('", "用于闭合 '('"),
    (r"to close the call of (?P<fn>\w+)\(", "用于结束 {fn}( 的调用"),
    (r"the condition nests deeper than (?P<n>\d+) levels \(parentheses, not, and/or chains\); split it into "
     r"several rules, or test many values at once with `in \{…\}`",
     "条件嵌套超过 {n} 层（括号、not、and/or 链）：请拆成几条规则，或用 `in {{…}}` 一次检查多个取值"),
    (r"expected 'in' after 'not'", "'not' 后面应为 'in'"),
    (r"the condition ends too early: expected a value", "条件过早结束：这里应有一个取值"),
    (r"expected a value, found '(?P<found>.*)'", "这里应为一个取值，却是 '{found}'"),
    (r"a condition must be true or false, but this is (?P<t_x>.+)", "条件必须为 true 或 false，而这是{t_x}"),
    (r"a number", "数"), (r"an int", "整数"), (r"an amount of money", "金额"), (r"a bool", "布尔值"),
    (r"a (?P<t_type>decimal|duration|date|datetime|deadline)", "{t_type}"), (r"decimal", "小数"), (r"duration", "时长"),
    (r"datetime", "日期时间"), (r"date", "日期"), (r"deadline", "时限"),
    (r"(?P<type>bool|int|decimal|money|duration|date|datetime|enum|set|text|deadline) '(?P<name>[^']*)'",
     " {type} 输入 '{name}' "),
    (r"'(?P<v>[^']*)' has more decimals than (?P<t_what>.+) allows", "'{v}' 的小数位数超过了{t_what}允许的位数"),
    (r"a whole number", "整数"), (r"a decimal", "小数"), (r"money \(two decimals\)", "金额（两位小数）"),
    (r"'(?P<v>[^']*)' is too large", "'{v}' 太大"),
    (r"a duration needs a unit: write e\.g\. (?P<a>\S+) or (?P<b>\S+)", "时长需要单位：例如写 {a} 或 {b}"),
    (r"compare a date with a date such as 2026-02-14, not a number", "日期要与日期比较（例如 2026-02-14），不能与数比较"),
    (r"cannot compare (?P<t_l>.+) with the number (?P<n>\S+)", "无法把{t_l}与数 {n} 比较"),
    (r"'(?P<name>[^']*)' is a deadline: deadlines are decided by rules, not compared in conditions",
     "'{name}' 是时限：时限由规则决定，不能在条件中比较"),
    (r"keyword set '(?P<set>[^']*)' can only be used inside contains_any\((?P<args>[^)]*)\)",
     "关键词组 '{set}' 只能用在 contains_any({args}) 中"),
    (r"cannot negate (?P<t_x>.+)", "无法对{t_x}取负"),
    (r"unsupported expression", "不支持的表达式"), (r"unsupported arithmetic", "不支持的运算"),
    (r"unexpected '(?P<tok>.*)'", "意外的 '{tok}'"),
    (r"expected true or false here, but this is (?P<t_x>.+)", "这里应为 true 或 false，而这是{t_x}"),
    (r"text can only be compared with == or !=", "文本只能用 == 或 != 比较"),
    (r"compare a text input with a text literal such as 'abc'", "文本输入要与带引号的文本比较，例如 'abc'"),
    (r"cannot compare (?P<t_l>.+?) with (?P<t_r>.+): they have different values", "无法把{t_l}与{t_r}比较：两者的可选取值不同"),
    (r"cannot compare (?P<t_l>.+?) with (?P<t_r>.+)", "无法把{t_l}与{t_r}比较"),
    (r"sets are tested with 'in', e\.g\. vip in tags", "集合要用 'in' 检查，例如 vip in tags"),
    (r"'(?P<op>[^']*)' needs numbers, amounts, durations or dates, not (?P<t_x>.+)", "'{op}' 需要数、金额、时长或日期，而不是{t_x}"),
    (r"'(?P<op>[^']*)' needs numbers, not (?P<t_l>.+?) and (?P<t_r>.+)", "'{op}' 需要数，而不是{t_l}和{t_r}"),
    (r"cannot add (?P<t_r>.+?) to (?P<t_l>.+)", "无法把{t_r}加到{t_l}上"),
    (r"cannot subtract (?P<t_r>.+?) from (?P<t_l>.+)", "无法从{t_l}中减去{t_r}"),
    (r"dates cannot be added or subtracted; use days_between\(a, b\)", "日期不能相加或相减：请用 days_between(a, b)"),
    (r"divide by a number literal, e\.g\. order_amount / 10", "只能除以直接写出的数，例如 order_amount / 10"),
    (r"'(?P<op>[^']*)' needs a number literal on one side \(e\.g\. order_amount \* 2\)",
     "'{op}' 的一边必须是直接写出的数（例如 order_amount * 2）"),
    (r"'(?P<op>[^']*)' scales numbers, amounts and durations, not (?P<t_x>.+)", "'{op}' 只能缩放数、金额和时长，而不是{t_x}"),
    (r"'(?P<v>[^']*)' is too large a factor", "系数 '{v}' 太大"), (r"division by zero", "除数为零"),
    (r"range ends must be literal values", "区间的两端必须是直接写出的取值"),
    (r"a range of (?P<t_w>.+?) needs ends of the same type, not (?P<t_x>.+)", "{t_w}的区间两端必须是同一类型，而不是{t_x}"),
    (r"'in \[\.\.\]' needs a number, amount, duration or date on the left, not (?P<t_x>.+)",
     "'in [..]' 左边需要数、金额、时长或日期，而不是{t_x}"),
    (r"the range ends before it starts", "区间的结束早于开始"),
    (r"'in' needs a set input or a \{…\} list on the right, not (?P<t_x>.+)", "'in' 右边需要集合输入或 {{…}} 列表，而不是{t_x}"),
    (r"the left of 'in (?P<name>[^']*)' must be one of its values", "'in {name}' 的左边必须是它的一个取值"),
    (r"expected a value of (?P<t_x>.+)", "这里应为{t_x}的一个取值"),
    (r"expected a text literal such as 'abc'", "这里应为带引号的文本，例如 'abc'"),
    (r"'in \{…\}' needs an enum, set, text or number on the left, not (?P<t_x>.+)",
     "'in {{…}}' 左边需要枚举、集合、文本或数，而不是{t_x}"),
    (r"(?P<fn>\w+) takes (?P<n>\d+) arguments: (?P<sig>.+)", "{fn} 需要 {n} 个参数：{sig}"),
    (r"contains_any needs a text input first, not (?P<t_x>.+)", "contains_any 的第一个参数必须是文本输入，而不是{t_x}"),
    (r"contains_any needs the name of a keyword set second", "contains_any 的第二个参数必须是关键词组的名称"),
    (r"unknown keyword set '(?P<set>[^']*)'" + _DYM, "未知的关键词组 '{set}'{dym}"),
    (r"the calendar is named in quotes, e\.g\. 'cn-mainland'", "日历名称要加引号，例如 'cn-mainland'"),
    (r"unknown function '(?P<fn>[^']*)'" + _DYM + r" \(functions: (?P<fns>[^)]*)\)", "未知的函数 '{fn}'{dym}（可用函数：{fns}）"),
    (r"expected a date or datetime, not (?P<t_x>.+)", "这里应为日期或日期时间，而不是{t_x}"),

    # --- policy files (src/rules/policy_loader.cpp) ------------------------------------------------------
    (r"a facts file must be a mapping starting with `facts: NAME`", "事实词汇表文件必须是以 `facts: 名称` 开头的映射"),
    (r"unknown key '(?P<key>[^']*)' in (?P<t_where>.+?) \(expected (?P<keys>[^()]*)\)" + _DYM,
     "{t_where}中有未知的键 '{key}'（可用：{keys}）{dym}"),
    (r"unknown key '(?P<key>[^']*)' in (?P<t_where>.+?)" + _DYM, "{t_where}中有未知的键 '{key}'{dym}"),
    (r"a facts file needs `fields:`", "事实词汇表文件需要 `fields:`"),
    (r"the file is empty: a policy file starts with `policy: NAME`", "文件是空的：规则集文件以 `policy: 名称` 开头"),
    (r"a policy file must be a mapping starting with `policy: NAME`", "规则集文件必须是以 `policy: 名称` 开头的映射"),
    (r"a policy file needs `policy: NAME`", "规则集文件需要 `policy: 名称`"),
    (r"unknown hit_policy '(?P<v>[^']*)' \(expected first, collect, unique or priority\)" + _DYM,
     "未知的 hit_policy '{v}'（可选：first、collect、unique 或 priority）{dym}"),
    (r"a policy needs `inputs:` \(the facts its rules read\)", "规则集需要 `inputs:`（其规则读取的事实）"),
    (r"a policy needs `outputs:` \(what its rules decide\)", "规则集需要 `outputs:`（其规则决定的内容）"),
    (r"a policy has either `rules:` or `versions:` \(each version with its own rules\), not both",
     "规则集只能有 `rules:` 或 `versions:`（每个版本各有规则）之一，不能两者都有"),
    (r"`versions_by` names the input that picks a version; it needs `versions:`", "`versions_by` 指定用来选择版本的输入，它需要 `versions:`"),
    (r"with `versions:` each version names itself \(`version:` under each\); remove the top-level `version`",
     "使用 `versions:` 时每个版本各自命名（各写 `version:`）：请删除顶层的 `version`"),
    (r"a policy needs `rules:`, a list of rules with id, when and then", "规则集需要 `rules:`，即包含 id、when 和 then 的规则列表"),
    (r"duplicate key '(?P<key>[^']*)' \(first at (?P<at>[^)]*)\)", "键 '{key}' 重复（第一次出现在 {at}）"),
    (r"input '(?P<name>[^']*)' takes `values: from facts`, but (?P<t_why>.+)",
     "输入 '{name}' 使用 `values: from facts`，但{t_why}"),
    (r"a policy read from text has no facts vocabulary: load it from its rules directory, or list its values",
     "从文本读取的规则集没有事实词汇表：请从它的规则目录加载，或直接列出取值"),
    (r"there is no facts file \(one starting with `facts:`\) beside it in (?P<dir>.+): load it with its rules "
     r"directory, or list its values", "在 {dir} 中没有与它同在的事实词汇表文件（以 `facts:` 开头的文件）：请连同规则目录一起加载，或直接列出取值"),
    (r"there are two facts files beside it \((?P<a>.+), (?P<b>.+)\): keep one vocabulary per directory",
     "它旁边有两个事实词汇表文件（{a}、{b}）：每个目录只保留一个事实词汇表"),
    (r"the facts file does not load: (?P<t_why>.+)", "事实词汇表文件无法加载：{t_why}"),
    (r"fact '(?P<name>[^']*)' \((?P<at>.+)\) is (?P<t1>\w+), not (?P<t2>\w+)", "事实 '{name}'（{at}）的类型是 {t1}，不是 {t2}"),
    (r"the facts vocabulary \((?P<file>.+)\) has no field '(?P<name>[^']*)'" + _DYM,
     "事实词汇表（{file}）中没有字段 '{name}'{dym}"),
    (r"`(?P<what>input|output|fact)s` must map names to types, e\.g\. vip: bool", "`{what}s` 必须把名称映射到类型，例如 vip: bool"),
    (r"(?P<t_what>input|output|fact) '(?P<name>[^']*)' is declared twice \(first at (?P<at>[^)]*)\)",
     "{t_what} '{name}' 声明了两次（第一次在 {at}）"),
    (r"output '(?P<name>[^']*)' cannot have a `default` \(the policy's `default:` gives the outputs when no rule "
     r"matches\)", "输出 '{name}' 不能有 `default`（没有规则匹配时由规则集的 `default:` 给出输出）"),
    (r"(?P<t_what>input|output|fact) '(?P<name>[^']*)' needs `type:`", "{t_what} '{name}' 需要 `type:`"),
    (r"`(?P<key>\w+)` must be true or false", "`{key}` 必须是 true 或 false"),
    (r"(?P<t_what>input|output|fact) '(?P<name>[^']*)' cannot be required and have a default or be derived",
     "{t_what} '{name}' 不能既是必填又有默认值或是推导出来的"),
    (r"unknown type '(?P<t>[^']*)' for (?P<t_what>input|output|fact) '(?P<name>[^']*)' \(expected bool, int, decimal, "
     r"money, duration, date, datetime, enum, set, text or deadline\)" + _DYM,
     "{t_what} '{name}' 的类型 '{t}' 未知（可选：bool、int、decimal、money、duration、date、datetime、enum、set、text 或 deadline）{dym}"),
    (r"only policy inputs take `values: from facts`; list the values of (?P<t_what>output|fact) '(?P<name>[^']*)'",
     "只有规则集的输入可以用 `values: from facts`：请列出{t_what} '{name}' 的取值"),
    (r"(?P<t_what>input|output|fact) '(?P<name>[^']*)' \((?P<t>enum|set)\) needs `values: \[a, b, …\]`",
     "{t_what} '{name}'（{t}）需要 `values: [a, b, …]`"),
    (r"value '(?P<v>[^']*)' is listed twice in (?P<t_what>input|output|fact) '(?P<name>[^']*)'",
     "取值 '{v}' 在{t_what} '{name}' 中列出了两次"),
    (r"a set can have at most 64 values", "集合最多只能有 64 个取值"),
    (r"(?P<t_what>input|output|fact) '(?P<name>[^']*)' is (?P<t>\w+): `values` only applies to enum and set.*",
     "{t_what} '{name}' 的类型是 {t}：`values` 只适用于 enum 和 set"),
    (r"(?P<what>.+) must be a non-empty list", "{what} 必须是非空列表"),
    (r"empty entry in (?P<what>.+)", "{what} 中有空条目"),
    (r"'(?P<v>[^']*)' is listed twice in (?P<t_what>.+)", "'{v}' 在{t_what}中列出了两次"),
    (r"the exceptions of '(?P<w>[^']*)'", "'{w}' 的例外"),
    (r"negation cue '(?P<cue>[^']*)' is listed twice", "否定词 '{cue}' 列出了两次"),
    (r"empty negation cue", "否定词为空"),
    (r"`cues` must be a non-empty list of words such as 没有, or \{cue: 不, window: 1\}",
     "`cues` 必须是非空的词语列表，例如 没有，或 {{cue: 不, window: 1}}"),
    (r"(?P<t_what>.+) must be a whole number of characters from 0 to 20, not '(?P<v>[^']*)'",
     "{t_what}必须是 0 到 20 的整数（字数），而不是 '{v}'"),
    (r"the cue's `window`", "否定词的 `window`"),
    (r"(?P<t_what>.+) must be a mapping with `cues:` \(and `window`, `not_cues`, `breaks`\), e\.g\. (?P<eg>.+)",
     "{t_what}必须是包含 `cues:`（以及 `window`、`not_cues`、`breaks`）的映射，例如 {eg}"),
    (r"(?P<t_what>.+) needs `cues:`, the words that negate a keyword written shortly after them \(没有, 不会 …\)",
     "{t_what}需要 `cues:`，即否定紧随其后的关键词的词语（没有、不会 …）"),
    (r"a negation cue written as a mapping needs `cue:` \(and `window:`\), e\.g\. \{cue: 不, window: 1\}",
     "写成映射的否定词需要 `cue:`（以及 `window:`），例如 {{cue: 不, window: 1}}"), (r"empty exception phrase", "例外短语为空"),
    (r"`keywords` must map set names to lists of words, e\.g\. media: \[曝光, 媒体\]",
     "`keywords` 必须把关键词组名称映射到词语列表，例如 media: [曝光, 媒体]"),
    (r"keyword set '(?P<set>[^']*)' is declared twice \(first at (?P<at>[^)]*)\)", "关键词组 '{set}' 声明了两次（第一次在 {at}）"),
    (r"keyword set '(?P<set>[^']*)' must be a list of words", "关键词组 '{set}' 必须是词语列表"),
    (r"keyword set '(?P<set>[^']*)' needs `words:`, its list of words", "关键词组 '{set}' 需要 `words:`，即它的词语列表"),
    (r"`words` of keyword set '(?P<set>[^']*)' must be a list of words", "关键词组 '{set}' 的 `words` 必须是词语列表"),
    (r"keyword set '(?P<set>[^']*)' is empty", "关键词组 '{set}' 是空的"),
    (r"empty keyword in set '(?P<set>[^']*)'", "关键词组 '{set}' 中有空关键词"),
    (r"'(?P<w>[^']*)' is listed twice in keyword set '(?P<set>[^']*)'", "'{w}' 在关键词组 '{set}' 中列出了两次"),
    (r"`negation: true` takes the policy's `negation:`, but the policy has none: give the cues here or there",
     "`negation: true` 沿用规则集的 `negation:`，但规则集没有：请在这里或规则集中给出否定词"),
    (r"exceptions for '(?P<w>[^']*)' are given twice in keyword set '(?P<set>[^']*)'", "关键词组 '{set}' 中 '{w}' 的例外给了两次"),
    (r"outputs must be a mapping such as \{decision: refund\}", "输出必须是映射，例如 {{decision: refund}}"),
    (r"unknown output '(?P<name>[^']*)'" + _DYM, "未知的输出 '{name}'{dym}"),
    (r"a rule must be a mapping with id, when and then", "规则必须是包含 id、when 和 then 的映射"),
    (r"a rule needs `id:`", "规则需要 `id:`"),
    (r"duplicate rule id '(?P<id>[^']*)'(?: \(first at (?P<first_at>[^)]*)\))?", "规则 id '{id}' 重复{first_at}"),
    (r"`priority` only applies under hit_policy: priority", "`priority` 只适用于 hit_policy: priority"),
    (r"`priority` must be a whole number", "`priority` 必须是整数"),
    (r"every rule needs `priority:` under hit_policy: priority", "hit_policy: priority 下每条规则都需要 `priority:`"),
    (r"a rule needs `when:` \(write `when: true` for a rule that always applies\)",
     "规则需要 `when:`（总是适用的规则请写 `when: true`）"),
    (r"a rule needs `then:` with the outputs it decides", "规则需要 `then:`，写明它决定的输出"),
    (r"a version must be a mapping with version, effective_from and rules", "版本必须是包含 version、effective_from 和 rules 的映射"),
    (r"a version needs `version:` \(its name, e\.g\. \"2027\.1\"\)", "版本需要 `version:`（版本名称，例如 \"2027.1\"）"),
    (r"duplicate version '(?P<v>[^']*)' \(first at (?P<at>[^)]*)\)", "版本 '{v}' 重复（第一次在 {at}）"),
    (r"version '(?P<v>[^']*)' needs `rules:`, a list of rules with id, when and then",
     "版本 '{v}' 需要 `rules:`，即包含 id、when 和 then 的规则列表"),
    (r"version '(?P<v>[^']*)' ends before it begins", "版本 '{v}' 的结束早于开始"),
    (r"the first version '(?P<v>[^']*)' has `effective_from`: tickets received before (?P<t>\S+) would be judged by no "
     r"version\. Leave it out \(the first version is in force since always\), or put the rules that applied before it "
     r"in a version of their own ahead of it",
     "第一个版本 '{v}' 有 `effective_from`：{t} 之前受理的工单将没有任何版本可用。请删除它（第一个版本一直有效），"
     "或把此前适用的规则放进它前面的一个单独版本"),
    (r"version '(?P<v>[^']*)' takes effect at (?P<t>\S+), not after version '(?P<prev>[^']*)' \((?P<tp>\S+)\): list "
     r"versions in the order they take effect", "版本 '{v}' 在 {t} 生效，并不晚于版本 '{prev}'（{tp}）：请按生效顺序列出版本"),
    (r"gap: no version is in force from (?P<a>\S+) \(the end of '(?P<prev>[^']*)'\) until (?P<b>\S+) \(the start of "
     r"'(?P<v>[^']*)'\); end '[^']*' where '[^']*' begins, or leave its `effective_until` out",
     "空档：从 {a}（'{prev}' 结束）到 {b}（'{v}' 开始）没有任何版本有效；请让 '{prev}' 在 '{v}' 开始时结束，或删除它的 `effective_until`"),
    (r"overlap: version '(?P<prev>[^']*)' is in force until (?P<a>\S+), after version '(?P<v>[^']*)' takes effect at "
     r"(?P<b>\S+); end '[^']*' where '[^']*' begins, or leave its `effective_until` out",
     "重叠：版本 '{prev}' 有效至 {a}，而版本 '{v}' 已于 {b} 生效；请让 '{prev}' 在 '{v}' 开始时结束，或删除它的 `effective_until`"),
    (r"the last version '(?P<v>[^']*)' ends at (?P<t>\S+): tickets received after it would be judged by no version\. "
     r"Leave `effective_until` out, or add the version that follows",
     "最后一个版本 '{v}' 于 {t} 结束：此后受理的工单将没有任何版本可用。请删除 `effective_until`，或补上后续版本"),
    (r"the version in force is picked by the datetime input '(?P<by>[^']*)', which the policy does not declare: add "
     r"`[^`]*` under `inputs:`(?P<other> or name another input with `versions_by:`)?",
     "生效版本由日期时间输入 '{by}' 选择，但规则集没有声明它：请在 `inputs:` 下添加 `{by}: datetime`{other}"),
    (r"the version in force is picked by input '(?P<by>[^']*)', which is (?P<t>\w+), not datetime \(the instant a "
     r"ticket is judged at\)", "生效版本由输入 '{by}' 选择，但它的类型是 {t}，不是 datetime（判定工单的时刻）"),
    (r"`versions:` is a list of versions, each with `version:`, `rules:` and \(all but the first\) `effective_from:`",
     "`versions:` 是版本列表，每个版本有 `version:`、`rules:` 和（第一个以外的）`effective_from:`"),
    (r"version '(?P<v>[^']*)' needs `effective_from:` \(the instant it takes over from '(?P<prev>[^']*)'\)",
     "版本 '{v}' 需要 `effective_from:`（它接替 '{prev}' 的时刻）"),

    # --- the facts vocabulary of a rules directory (src/rules/triage_loader.cpp) -------------------------
    (r"input '(?P<name>[^']*)' is not in the facts vocabulary \((?P<file>.+?)\)" + _DYM,
     "输入 '{name}' 不在事实词汇表（{file}）中{dym}"),
    (r"input '(?P<name>[^']*)' differs from the fact in the vocabulary \((?P<at>.+)\): give it the same type and values",
     "输入 '{name}' 与事实词汇表中的事实（{at}）不一致：请使用相同的类型和取值"),
    (r"input '(?P<name>[^']*)' has a default: under triage, defaults belong in the facts vocabulary \((?P<at>.+)\)",
     "输入 '{name}' 有默认值：用于分诊时，默认值应写在事实词汇表中（{at}）"),
    (r"fact '(?P<name>[^']*)' must have the values of output '(?P<out>[^']*)' \((?P<at>.+)\)",
     "事实 '{name}' 必须与输出 '{out}' 的取值相同（{at}）"),
    (r"fact 'customer_tier' must be a given fact with the values of output 'customer_tier' \((?P<at>.+)\)",
     "事实 'customer_tier' 必须是直接给出的事实，取值与输出 'customer_tier'（{at}）相同"),
    (r"a second facts file \(the first is (?P<file>.+)\): a rules directory has one vocabulary",
     "第二个事实词汇表文件（第一个是 {file}）：一个规则目录只有一个事实词汇表"),
    (r"a second (?P<t_what>targets file|scorecard) named '(?P<name>[^']*)' \(the first is (?P<file>.+)\)",
     "第二个名为 '{name}' 的{t_what}（第一个是 {file}）"),
    (r"targets file", "KPI 目标文件"), (r"scorecard", "评分卡"),

    # --- YAML (src/yaml_support.cpp) ---------------------------------------------------------------------
    (r"invalid YAML: (?P<t_why>.+)", "YAML 格式有误：{t_why}"),
    (r"'(?P<open>[\[{])' is not closed \(add the matching '(?P<close>[\]}])'\)", "'{open}' 没有闭合（请补上对应的 '{close}'）"),
    (r"unexpected ':' \(is this line indented too far, or does a value containing ': ' need quotes\?\)",
     "意外的 ':'（这一行是否缩进过多，或者含有 ': ' 的取值需要加引号？）"),
    (r"(?P<t_why>.+) \(check the indentation of this line and the one before\)", "{t_why}（请检查这一行和上一行的缩进）"),
    (r"a tab indents this line; YAML indents with spaces only", "这一行用 Tab 缩进：YAML 只能用空格缩进"),
    (r"the text cannot be read from here on \(the parser makes no progress\); check this line for stray characters "
     r"or unbalanced brackets", "从这里起无法读取（解析没有进展）：请检查这一行是否有多余的字符或不成对的括号"),
    (r"cannot open '(?P<path>.+)' for reading", "无法打开 '{path}' 读取"),
    (r"(?P<what>.+) is missing", "缺少 {what}"),
    (r"(?P<what>.+) must be a single value, not (?P<t_x>a mapping|a list|empty)", "{what} 必须是单个取值，而不是{t_x}"),
    (r"a mapping", "映射"), (r"a list", "列表"), (r"empty", "空值"),

    # --- calendars (src/calendar_loader.cpp) -------------------------------------------------------------
    (r"a shift needs `hours:`", "班次需要 `hours:`"),
    (r"bad date '(?P<v>[^']*)' in (?P<t_what>.+): expected an existing date as YYYY-MM-DD",
     "{t_what}中的日期 '{v}' 无法读取：应为存在的日期，格式 YYYY-MM-DD"),
    (r"(?P<what>.+) must be a list of intervals such as \[\"09:00-12:00\", \"13:30-18:00\"\]",
     "{what} 必须是时间段列表，例如 [\"09:00-12:00\", \"13:30-18:00\"]"),
    (r"(?P<what>.+): intervals (?P<a>\S+) and (?P<b>\S+) overlap \(use `shifts:` for shifts that overlap at handover\)",
     "{what}：时间段 {a} 和 {b} 重叠（交接时重叠的班次请用 `shifts:`）"),
    (r"unknown weekday '(?P<v>[^']*)' \(expected mon, tue, wed, thu, fri, sat or sun\)" + _DYM,
     "未知的星期 '{v}'（可选：mon、tue、wed、thu、fri、sat 或 sun）{dym}"),
    (r"a (?P<t_what>holiday|make-up working day|special day) entry needs `date:`", "{t_what}条目需要 `date:`"),
    (r"range ends \((?P<b>[^)]*)\) before it starts \((?P<a>[^)]*)\)", "区间的结束（{b}）早于开始（{a}）"),
    (r"a calendar file must be a mapping starting with `calendar: NAME`", "日历文件必须是以 `calendar: 名称` 开头的映射"),
    (r"a calendar file needs `calendar: NAME`", "日历文件需要 `calendar: 名称`"),
    (r"a calendar needs `zone:` \(e\.g\. \"\+08:00\" or Asia/Shanghai\)", "日历需要 `zone:`（例如 \"+08:00\" 或 Asia/Shanghai）"),
    (r"`range` must be \{from: YYYY-MM-DD, to: YYYY-MM-DD\}", "`range` 必须写成 {{from: YYYY-MM-DD, to: YYYY-MM-DD}}"),
    (r"`range` ends \((?P<b>[^)]*)\) before it starts \((?P<a>[^)]*)\)", "`range` 的结束（{b}）早于开始（{a}）"),
    (r"a calendar needs `range: \{from: YYYY-MM-DD, to: YYYY-MM-DD\}`: kefu refuses to guess which days are working "
     r"days outside the data it has", "日历需要 `range: {{from: YYYY-MM-DD, to: YYYY-MM-DD}}`：数据范围之外哪天上班，kefu 不做猜测"),
    (r"give either `hours:` or `shifts:`, not both", "`hours:` 和 `shifts:` 只能给出其一"),
    (r"`weekdays` must be a list such as \[mon, tue, wed, thu, fri\]", "`weekdays` 必须是列表，例如 [mon, tue, wed, thu, fri]"),
    (r"a calendar needs `hours:` \(e\.g\. \[\"09:00-18:00\"\], or \[\"00:00-24:00\"\] for whole days\)",
     "日历需要 `hours:`（例如 [\"09:00-18:00\"]，全天则写 [\"00:00-24:00\"]）"),
    (r"`extends: (?P<spec>.+)` makes a cycle", "`extends: {spec}` 形成了循环"),
    (r"no calendar file '(?P<path>.+)'", "没有日历文件 '{path}'"),
    (r"no calendar '(?P<name>[^']*)' next to this file or built in" + _DYM,
     "本文件旁边和内置日历中都没有日历 '{name}'{dym}"),
    (r"no built-in calendar '(?P<name>[^']*)'" + _DYM + r"; built-in: (?P<names>.+)", "没有内置日历 '{name}'{dym}；内置日历：{names}"),
    (r"unknown holiday law '(?P<v>[^']*)' \(known: (?P<known>[^)]*)\)" + _DYM, "未知的节假日规则 '{v}'（已知：{known}）{dym}"),
    (r"`beyond_official` must be project \(continue with provisional days\) or error \(strict\), not '(?P<v>[^']*)'" + _DYM,
     "`beyond_official` 必须是 project（继续使用暂定日期）或 error（严格），而不是 '{v}'{dym}"),
    (r"give either `range` \(to narrow the calendar\) or `official_until`, not both", "`range`（缩小日历范围）和 `official_until` 只能给出其一"),
    (r"the projection ends \((?P<a>[^)]*)\) before the official data does \((?P<b>[^)]*)\)", "推算的结束（{a}）早于官方数据的结束（{b}）"),
    (r"calendar '(?P<cal>[^']*)': official data ends on (?P<d>\S+) \(in (?P<n>\d+) days?\); (?P<t_after>[^:]+(?:\([^)]*\))?): "
     + _HORIZON_TAIL, "日历 '{cal}'：官方数据截至 {d}（还剩 {n} 天）；{t_after}：请导入下一年度的国务院节假日通知（kefu calendar notice）"),
    (r"calendar '(?P<cal>[^']*)': official data ended on (?P<d>\S+) \((?P<n>\d+) days ago\); (?P<t_after>[^:]+(?:\([^)]*\))?): "
     + _HORIZON_TAIL, "日历 '{cal}'：官方数据已于 {d} 截止（{n} 天前）；{t_after}：请导入下一年度的国务院节假日通知（kefu calendar notice）"),
    (r"after it, deadlines are provisional \(projected from the holiday law until (?P<d>\S+)\)",
     "此后的时限为暂定（按节假日规则推算至 {d}）"),
    (r"after it, every date is an error", "此后的任何日期都会报错"),
    (r"date (?P<d>\S+) is outside calendar '(?P<cal>[^']*)' \((?P<span>[^,)]*)(?:, provisional (?P<provisional>[^)]*))?\)"
     r"(?P<t_way>: .+)?", "日期 {d} 超出日历 '{cal}' 的范围（{span}{provisional}）{t_way}"),
    (r": the calendar is strict \(`beyond_official: error`\); load the year's holiday notice \(`kefu calendar notice`\) "
     r"or allow the provisional projection", "：该日历是严格模式（`beyond_official: error`）；请导入该年度的节假日通知（`kefu calendar notice`），或允许暂定推算"),
    (r": past the provisional projection nothing is guessed", "：暂定推算之外不做猜测"),
    (r": load the year's data \(for cn-mainland, the holiday notice via `kefu calendar notice`\)",
     "：请导入该年度的数据（cn-mainland 请通过 `kefu calendar notice` 导入节假日通知）"),

    # --- KPI targets and scorecards (src/kpi/load.cpp) ---------------------------------------------------
    (r"unknown metric '(?P<m>[^']*)'(?P<metric_hint> \(a KPI metric, input\.NAME or a number\))?" + _DYM,
     "未知的指标 '{m}'{metric_hint}{dym}"),
    (r"scorecard '(?P<sc>[^']*)': item weights sum to (?P<sum>\S+), not 100 \((?P<parts>.*)\)",
     "评分卡 '{sc}'：各项权重之和为 {sum}，不是 100（{parts}）"),
    (r"item weights sum to (?P<sum>\S+), not 100 \((?P<parts>.*)\)", "各项权重之和为 {sum}，不是 100（{parts}）"),
    (r"targets '(?P<name>[^']*)' set no goals: give `channels:`, `sla:`, `metrics:` or `training:` \(docs/kpis\.md\)",
     "KPI 目标 '{name}' 没有设定任何目标：请给出 `channels:`、`sla:`、`metrics:` 或 `training:`（docs/kpis.md）"),
    (r"(?P<what>.+) must be a mapping", "{what} 必须是映射"),
    (r"bad number '(?P<v>[^']*)' for goal of (?P<m>\S+)(?P<pct_hint> \(expected e\.g\. 90% or 0\.9\))?",
     "指标 {m} 的目标值 '{v}' 无法读取{pct_hint}"),
    (r"bad number '(?P<v>[^']*)' for (?P<what>.+?)(?P<pct_hint> \(expected e\.g\. 90% or 0\.9\))?", "{what} 的数值 '{v}' 无法读取{pct_hint}"),
    (r"(?P<what>.+) must be wall-clock time such as 30s, 5min or 2h, not '(?P<v>[^']*)'",
     "{what} 必须是按自然时间计的时长，例如 30s、5min 或 2h，而不是 '{v}'"),
    (r"a targets file starts with `targets: NAME` \(the name its scorecards use\)", "KPI 目标文件以 `targets: 名称` 开头（评分卡引用的名称）"),
    (r"a scorecard file starts with `scorecard: NAME`", "评分卡文件以 `scorecard: 名称` 开头"),
    (r"'(?P<what>targets|scorecard)' needs a name", "'{what}' 需要名称"),
    (r"qc_pass_mark must be between 0 and 100", "qc_pass_mark 必须在 0 到 100 之间"),
    (r"an sla entry needs `(?P<k>\w+):`", "SLA 条目需要 `{k}:`"),
    (r"sla '(?P<name>[^']*)' is defined twice", "SLA '{name}' 定义了两次"),
    (r"unknown sla event '(?P<v>[^']*)' \(expected first_response or resolution\)", "未知的 SLA 事件 '{v}'（可选：first_response 或 resolution）"),
    (r"a metric goal needs `metric:`", "指标目标需要 `metric:`"),
    (r"metric goal '(?P<m>[^']*)' needs exactly one of at_least and at_most", "指标目标 '{m}' 需要 at_least 和 at_most 中的恰好一个"),
    (r"unknown subject '(?P<v>[^']*)' \(expected agent or team\)", "未知的 subject '{v}'（可选：agent 或 team）"),
    (r"a scorecard needs `items:`, a list of weighted items", "评分卡需要 `items:`，即带权重的评分项列表"),
    (r"a scorecard item needs `(?P<k>\w+):`", "评分项需要 `{k}:`"),
    (r"item '(?P<id>[^']*)' is defined twice", "评分项 '{id}' 定义了两次"),
    (r"weight of '(?P<id>[^']*)' is negative", "'{id}' 的权重为负"),
    (r"a bonus entry needs `id:` and `value:`", "加分项需要 `id:` 和 `value:`"),
    (r"retrain_bottom must be a share such as 10%", "retrain_bottom 必须是比例，例如 10%"),
    (r"`promotion` needs `months:`", "`promotion` 需要 `months:`"),
    (r"months must be a whole number from 1 to 120", "months 必须是 1 到 120 的整数"),
    (r"`waiting_bands` is a list of three wall-clock durations, e\.g\. \[30s, 2min, 5min\] \(patient waiting up to the "
     r"first, explain up to the second, offer alternatives up to the third, complaint risk past it\)",
     "`waiting_bands` 是三个按自然时间计的时长的列表，例如 [30s, 2min, 5min]（第一个以内耐心等待，第二个以内解释，"
     "第三个以内提供替代方案，超过则有投诉风险）"),
    (r"waiting band '(?P<v>[^']*)' must be longer than the one before it \(e\.g\. \[30s, 2min, 5min\]\)",
     "等待时段 '{v}' 必须长于前一个（例如 [30s, 2min, 5min]）"),
    (r"waiting band '(?P<v>[^']*)' must be longer than 0s \(e\.g\. \[30s, 2min, 5min\]\)",
     "等待时段 '{v}' 必须长于 0s（例如 [30s, 2min, 5min]）"),
    (r"sla '(?P<name>[^']*)' counts (?P<d>.+?): name the calendar that defines them \(calendar: cn-mainland\)",
     "SLA '{name}' 按 {d} 计：请指定定义它们的日历（calendar: cn-mainland）"),
    (r"bad window '(?P<v>[^']*)' for disciplinary_review \(expected all, the whole record, or 1 to 120 months, e\.g\. "
     r"1 month or 12 months\)", "disciplinary_review 的 window '{v}' 无法读取（应为 all，即全部记录，或 1 到 120 个月，"
     "例如 1 month 或 12 months）"),
    (r"min_tickets must be a whole number of tickets from 1 to 1000000, not '(?P<v>[^']*)' \(default (?P<d>\d+)\)",
     "min_tickets 必须是 1 到 1000000 的整数（工单数），而不是 '{v}'（默认 {d}）"),
    (r"unknown rules document kind '(?P<k>[^']*)': the first key must be one of (?P<kinds>.+)",
     "未知的规则文件类型 '{k}'：第一个键必须是 {kinds} 之一"),

    # --- named clocks (src/rules/clock_loader.cpp) -------------------------------------------------------
    (r"(?P<t_what>a milestone|a named clock) needs a `name`", "{t_what}需要 `name`"),
    (r"a named clock", "命名时钟"), (r"a milestone", "里程碑"),
    (r"`description` needs both languages, \{zh: …, en: …\}", "`description` 需要中英两种语言，{{zh: …, en: …}}"),
    (r"unknown key '(?P<key>[^']*)' in description \(expected zh and en\)", "description 中有未知的键 '{key}'（可用：zh 和 en）"),
    (r"`(?P<key>\w+)` must be a name or a list of names", "`{key}` 必须是名称或名称列表"),
    (r"'(?P<v>[^']*)' is listed twice in `(?P<key>\w+)`", "'{v}' 在 `{key}` 中列出了两次"),
    (r"unknown key '(?P<key>[^']*)'" + _DYM, "未知的键 '{key}'{dym}"),
    (r"`milestones` must be a list", "`milestones` 必须是列表"),
    (r"a second milestone named '(?P<name>[^']*)'", "第二个名为 '{name}' 的里程碑"),
    (r"a second clock named '(?P<name>[^']*)'", "第二个名为 '{name}' 的命名时钟"),
    (r"a lifecycle event has that name; choose another \(e\.g\. (?P<eg>\S+)\)", "已有同名的工单生命周期事件：请换一个名称（例如 {eg}）"),
    (r"a built-in clock has that name \(first_response, resolution, follow_up\); choose another",
     "已有同名的内置时钟（first_response、resolution、follow_up）：请换一个名称"),
    (r"say where it comes from with `source:` \(DOM ids, handbook section\)", "请用 `source:` 写明出处（DOM 编号、手册章节）"),
    (r"needs a target, `within:` \(10min, 24h, 4 business hours, 3 workdays\)", "需要目标时长 `within:`（10min、24h、4 business hours、3 workdays）"),
    (r"the target must be more than zero", "目标时长必须大于零"),
    (r"a business-hours or working-days target needs `calendar:` \(e\.g\. cn-mainland, cn-office\)",
     "按工作时间或工作日计的目标需要 `calendar:`（例如 cn-mainland、cn-office）"),
    (r"unknown calendar '(?P<cal>[^']*)'" + _DYM, "未知的日历 '{cal}'{dym}"),
    (r"`receive` \(the receipt\) can only start a clock", "`receive`（受理）只能启动时钟"),
    (r"nothing starts it: give `start:` \(receive, a lifecycle event or a milestone\) or `start_fact:`",
     "没有东西启动它：请给出 `start:`（receive、生命周期事件或里程碑）或 `start_fact:`"),
    (r"nothing stops it: give `stop:` \(a lifecycle event or a milestone\)", "没有东西停止它：请给出 `stop:`（生命周期事件或里程碑）"),
    (r"`pause` and `resume` come together \(a paused clock needs a way to run again\)", "`pause` 和 `resume` 要成对出现（暂停的时钟需要能重新计时）"),
    (r"'(?P<v>[^']*)' is not a value of fact '(?P<fact>[^']*)'" + _DYM, "'{v}' 不是事实 '{fact}' 的取值{dym}"),
    (r"`escalate` is true or false", "`escalate` 只能是 true 或 false"),
    (r"`(?P<key>start|pause|resume|stop)` names '(?P<v>[^']*)', which is neither a lifecycle event nor a milestone of "
     r"this document" + _DYM, "`{key}` 中的 '{v}' 既不是工单生命周期事件，也不是本文件的里程碑{dym}"),
    (r"`start_fact` names '(?P<v>[^']*)', which is not a fact" + _DYM, "`start_fact` 中的 '{v}' 不是事实{dym}"),
    (r"`start_fact` '(?P<v>[^']*)' is a (?P<t>\w+) fact; a clock starts at an instant \(a datetime fact\)",
     "`start_fact` '{v}' 是 {t} 类型的事实：时钟要从某个时刻开始（datetime 类型的事实）"),
    (r"(?P<t_what>a milestone|a named clock) name '(?P<v>[^']*)': use lower-case letters, digits and _ \(e\.g\. "
     r"(?P<eg>\w+)\)", "{t_what}名称 '{v}'：请只用小写字母、数字和 _（例如 {eg}）"),
    (r"milestone '(?P<m>[^']*)' is used by no clock \(in a start, pause, resume or stop\): use it or remove it",
     "里程碑 '{m}' 没有被任何时钟使用（start、pause、resume 或 stop 中）：请使用或删除它"),

    # --- lint warnings (src/rules/analysis.cpp, src/rules/policy_loader.cpp) ------------------------------
    (r"rule (?P<rule>\S+) can never fire: earlier rules? (?P<by>.+) always match(?:es)? first \(hit policy first\)",
     "规则 {rule} 永远不会触发：前面的规则 {by} 总是先匹配（命中策略 first）"),
    (r"rules (?P<a>\S+) and (?P<b>\S+) both match when any input \(hit policy unique\)",
     "规则 {a} 和 {b} 对任意输入都同时匹配（命中策略 unique）"),
    (r"rules (?P<a>\S+) and (?P<b>\S+) both match when (?P<when>.+) \(hit policy unique\)",
     "规则 {a} 和 {b} 在 {when} 时同时匹配（命中策略 unique）"),
    (r"no rule matches when any input, and there is no `default`", "对任意输入都没有规则匹配，且没有 `default`"),
    (r"no rule matches when (?P<when>.+), and there is no `default`", "在 {when} 时没有规则匹配，且没有 `default`"),
    (r"negation cue '(?P<cue>[^']*)' contains a space between two Chinese characters, where the scan back from a "
     r"keyword stops: it can never apply", "否定词 '{cue}' 的两个汉字之间有空格，而从关键词往回查找遇到空格就会停止：它永远不会生效"),
    (r"negation cue '(?P<cue>[^']*)' contains (?P<stop>'[^']*'), where the scan back from a keyword stops: it can never apply",
     "否定词 '{cue}' 含有 {stop}，而从关键词往回查找遇到它就会停止：它永远不会生效"),
    (r"negation cue '(?P<cue>[^']*)' contains the break '(?P<brk>[^']*)', which ends a cue's reach: it can never apply",
     "否定词 '{cue}' 含有断句符 '{brk}'，断句符会截断否定词的作用范围：它永远不会生效"),
    (r"negation cue '(?P<cue>[^']*)' is also listed in `not_cues`: it can never apply",
     "否定词 '{cue}' 也列在 `not_cues` 中：它永远不会生效"),
    (r"not-cue '(?P<nc>[^']*)' contains no negation cue, so it has nothing to cancel: it can never apply",
     "非否定词 '{nc}' 不含任何否定词，没有可抵消的内容：它永远不会生效"),
    (r"exception for '(?P<w>[^']*)': keyword set '(?P<set>[^']*)' has no such word, so it can never apply"
     + _DYM, "'{w}' 的例外：关键词组 '{set}' 中没有这个词，所以它永远不会生效{dym}"),
    (r"exception '(?P<ph>[^']*)' is the word itself: '(?P<w>[^']*)' would never count \(remove the word instead\)",
     "例外 '{ph}' 就是这个词本身：'{w}' 将永远不会被计入（请改为删除这个词）"),
    (r"exception '(?P<ph>[^']*)' does not contain the word '(?P<w>[^']*)', so it can never apply",
     "例外 '{ph}' 不含词语 '{w}'，所以它永远不会生效"),
    (r"keyword set '(?P<set>[^']*)' is not used by any rule", "关键词组 '{set}' 没有被任何规则使用"),

    # --- State Council notices (kefu calendar notice, src/calendar/notice_parser.cpp) -----------------------
    (r"the notice is empty \(paste the text of the State Council notice\)", "通知为空（请粘贴国务院通知的正文）"),
    (r"the notice names no year \(paste it with its title, e\.g\. (?P<eg>.+)\)",
     "通知没有写明年份（请连同标题一起粘贴，例如 {eg}）"),
    (r"the notice arranges no holidays \(expected items such as (?P<eg>.+)\)", "通知中没有任何节假日安排（应有形如 {eg} 的条目）"),
    (r"(?P<d>'[^']*'|\S+) does not exist \(there is no month (?P<m>\d+)\)", "{d} 不存在（没有 {m} 月）"),
    (r"(?P<d>'[^']*'|\S+) does not exist \((?P<ym>\d+年\d+月) has (?P<n>\d+) days\)", "{d} 不存在（{ym}只有 {n} 天）"),
    (r"unknown festival '(?P<f>[^']*)'" + _DYM + r" \(expected (?P<known>.+)\)", "未知的节日 '{f}'{dym}（应为 {known} 之一）"),
    (r"the line is not UTF-8 text \(save the notice as UTF-8\)", "这一行不是 UTF-8 文本（请把通知另存为 UTF-8）"),
)

# --- the translator ---------------------------------------------------------------------------------------

import re  # noqa: E402  (the tables above are the module's point; the machinery follows them)
from functools import lru_cache  # noqa: E402

#: Optional groups that add a part of their own, in Chinese, when they matched (empty when not).
_OPTIONAL_PARTS = {
    "dym": "（是否想写 '{}'？）",
    "more_cases": "（此文件另有 {} 个用例未通过）",
    "first_at": "（第一次在 {}）",
    "pct_hint": "（应写成例如 90% 或 0.9）",
    "metric_hint": "（应为 KPI 指标、input.名称或数）",
    "provisional": "，暂定 {}",
    "other": "，或用 `versions_by:` 指定另一个输入",
}

_COMPILED_PREFIXES = tuple((re.compile(rx, re.S), zh) for rx, zh in PREFIXES)
_COMPILED_PATTERNS = tuple((re.compile(rx, re.S), zh) for rx, zh in PATTERNS)
_COMPILED_DIFFERENCES = tuple((re.compile(rx, re.S), zh) for rx, zh in DIFFERENCES)


def _difference(part: str) -> str | None:
    """One thing a failing rule-test case got wrong: a difference (DIFFERENCES) or the case's error (PATTERNS)."""
    for rx, template in _COMPILED_DIFFERENCES:
        match = rx.fullmatch(part)
        if match is not None:
            return _fill(match, template)
    return translate(part)


def _fill(match: re.Match[str], template: str) -> str | None:
    values: dict[str, str] = {}
    for name, text in match.groupdict().items():
        if name in _OPTIONAL_PARTS:
            values[name] = "" if text is None else _OPTIONAL_PARTS[name].format(text)
        elif text is None:
            values[name] = ""
        elif name == "diffs":
            parts = [_difference(part) for part in text.split("; ")]
            if any(p is None for p in parts):
                return None
            values[name] = "；".join(p for p in parts if p is not None)
        elif name.startswith("t_"):
            done = translate(text)
            if done is None:
                return None
            values[name] = done
        elif name.startswith("v_"):
            values[name] = "（未设置）" if text == "(not set)" else text
        else:
            values[name] = text
    return template.format(**values)


@lru_cache(maxsize=4096)
def translate(message: str) -> str | None:
    """The whole of `message` in Chinese: its context prefixes and the message itself each matched by
    :data:`PREFIXES` / :data:`PATTERNS` (first match whose parts all translate); None when some part is not
    covered — then nothing is guessed."""
    for table in (_COMPILED_PREFIXES, _COMPILED_PATTERNS):
        for rx, template in table:
            match = rx.fullmatch(message)
            if match is not None:
                done = _fill(match, template)
                if done is not None:
                    return done
    return None


def is_fully_translated(message: str) -> bool:
    """Whether every part of `message` is covered by the patterns (no English sentence left in its Chinese)."""
    return translate(message) is not None


def split_context(message: str) -> tuple[str, str]:
    """`message`'s context prefixes in Chinese (location, ``rule X: ``, ``row 3: ``, ``policy 'x': ``, …),
    and the rest as it is: for a message no pattern covers, the headline goes between them."""
    head = ""
    while True:
        for rx, template in _COMPILED_PREFIXES:
            match = rx.fullmatch(message)
            if match is None:
                continue
            rest = match.group("t_rest")
            marker = "\x00"
            shown = _fill_prefix(match, template, marker)
            if shown is None:
                continue
            head += shown.replace(marker, "")
            message = rest
            break
        else:
            return head, message


def _fill_prefix(match: re.Match[str], template: str, marker: str) -> str | None:
    """The prefix part of `template` alone (its ``{t_rest}`` left as `marker`)."""
    values = {k: v for k, v in match.groupdict().items() if k != "t_rest"}
    for name, text in values.items():
        if name.startswith("t_") and text is not None:
            done = translate(text)
            if done is None:
                return None
            values[name] = done
        elif text is None:
            values[name] = ""
    return template.format(t_rest=marker, **values)


def localize(message: str, id: str | None) -> str:
    """`message` in Chinese: all of it when the patterns cover it; else its context translated and
    ``headline：English detail`` (the headline of `id`); else the message unchanged."""
    done = translate(message)
    if done is not None:
        return _tidy(done)
    headline = HEADLINES.get(id or "")
    if headline is None:
        return message
    head, rest = split_context(message)
    return _tidy(f"{head}{headline}：{rest}")


def _tidy(text: str) -> str:
    """No space next to Chinese punctuation (phrases such as `` int 输入 'x' `` carry spaces for the CJK–Latin
    boundary, which full-width punctuation already marks)."""
    return re.sub(r"([（：，；、])\s+", r"\1", re.sub(r" +([，。：；（）、])", r"\1", text))
