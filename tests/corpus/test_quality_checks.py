"""Checks of quality on sentences of the seed document and faithful English/Korean translations.

Each check has cases that must produce a finding and cases (natural translations) that must not.
"""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from quality import (
    CHECK_CODES,
    DEFAULT_LENGTH_NORMS,
    Finding,
    GlossaryTerm,
    LengthNorm,
    check_pair,
    estimate_length_norm,
    find_inconsistencies,
)

# (zh source from data/seed_globalization.zh.txt, English translation, Korean translation)
SEED_PAIRS = [
    (
        "到3月11日全球已有115个国家被卷入疫情，确诊病例上升到115119例，死亡4387人。",
        "By March 11, 115 countries had been drawn into the epidemic worldwide, with confirmed cases rising to 115,119 and 4,387 deaths.",
        "3월 11일까지 전 세계 115개국이 코로나19에 휩쓸렸고, 확진자는 115,119명으로 늘었으며 4387명이 사망했다.",
    ),
    (
        "还向世卫组织提供2000万美元援助……",
        "It has also provided US$20 million in aid to the WHO...",
        "또한 세계보건기구(WHO)에 2천만 달러를 지원했다…",
    ),
    (
        "截止目前，已有近70个国家和多个国际组织向中国捐赠了口罩、防护服等急需的疫情防控物资，有160多个国家和国际组织负责人发电发函，对中国表示慰问和支持。",
        "So far, nearly 70 countries and several international organizations have donated urgently needed supplies such as masks and protective suits to China, and the leaders of more than 160 countries and international organizations have sent messages and letters expressing sympathy and support for China.",
        "지금까지 70개국 가까이와 여러 국제기구가 마스크, 방호복 등 시급한 방역 물자를 중국에 기부했고, 160여 개 국가와 국제기구의 지도자들이 전보와 서한을 보내 중국에 위로와 지지를 표했다.",
    ),
    (
        "特别是2008年全球金融危机后，全球化出现明显回缩，民粹主义、保护主义倾向上升。",
        "In particular, after the global financial crisis of 2008, globalization clearly retreated, and populist and protectionist tendencies rose.",
        "특히 2008년 글로벌 금융위기 이후 세계화는 뚜렷하게 후퇴했고, 포퓰리즘과 보호주의 경향이 높아졌다.",
    ),
    (
        "日前，G20举行贸易投资工作组应对新冠疫情特别视频会议，对此前G20领导人特别峰会通过的联合声明进行深入讨论。",
        "Recently, the G20 Trade and Investment Working Group held a special video conference on responding to COVID-19 and discussed in depth the joint statement adopted at the earlier Extraordinary G20 Leaders' Summit.",
        "최근 G20 무역투자실무그룹은 코로나19 대응 특별 화상회의를 열어, 앞서 G20 정상 특별회의에서 채택된 공동성명을 심도 있게 논의했다.",
    ),
    (
        "在政府层面，各国可通过二十国集团（G20）等多边合作机制，合力推动疫后经济恢复。",
        "At the government level, countries can work together through multilateral mechanisms such as the Group of Twenty (G20) to drive the post-pandemic economic recovery.",
        "정부 차원에서 각국은 주요 20개국(G20) 등 다자 협력 메커니즘을 통해 코로나 이후 경제 회복을 함께 추진할 수 있다.",
    ),
    (
        "冷战结束以来，全球化曾一路高歌猛进，以市场化、自由化、私有化等为特征，但经历过两次金融危机的打击。",
        "Since the end of the Cold War, globalization has advanced triumphantly, marked by marketization, liberalization and privatization, but it has suffered the blows of two financial crises.",
        "냉전 종식 이후 세계화는 시장화, 자유화, 사유화 등을 특징으로 거침없이 전진해 왔지만, 두 차례의 금융위기로 타격을 입었다.",
    ),
    (
        "“后疫情时代”的全球化，将表现出三大特性，即平衡性、保护性和区域性。",
        "Globalization in the “post-pandemic era” will show three major characteristics: balance, protection and regionalization.",
        "‘포스트 코로나 시대’의 세계화는 균형성, 보호성, 지역성이라는 세 가지 특성을 보일 것이다.",
    ),
    (
        "中国倡议构建人类命运共同体和“一带一路”合作与更新全球化相适应，与在推进过程中的各项区域治理安排相结合，可成为中国引领更新全球化的渠道。",
        "China's initiatives to build a community with a shared future for mankind and for “Belt and Road” cooperation fit a renewed globalization; combined with the regional governance arrangements now under way, they can become China's channels for leading it.",
        "중국이 제창한 인류운명공동체 구축과 ‘일대일로’ 협력은 세계화의 갱신에 부합하며, 추진 중인 각종 지역 거버넌스 구상과 결합해 중국이 세계화의 갱신을 이끄는 통로가 될 수 있다.",
    ),
    (
        "虽偶有个例，如冷战时期的两极格局，也可以算是全球化进程的一部分。",
        "Although there are occasional exceptions, such as the bipolar order of the Cold War, even these can be counted as part of the process of globalization.",
        "냉전 시기의 양극 체제 같은 예외가 간혹 있었지만, 이 역시 세계화 과정의 일부로 볼 수 있다.",
    ),
    (
        "作为二战后维护世界和平的核心治理机制，联合国是现存全球治理体系的重要支柱。",
        "As the core governance mechanism for maintaining world peace since the Second World War, the United Nations is an important pillar of the existing global governance system.",
        "제2차 세계대전 이후 세계 평화를 지키는 핵심 거버넌스 기제로서 유엔은 현존 글로벌 거버넌스 체계의 중요한 기둥이다.",
    ),
    (
        "受疫情冲击，全球股市严重动荡，美股市十天内四次熔断，油价暴跌至20多美元，世界经济衰退风险迫近。",
        "Hit by the epidemic, global stock markets were in turmoil: US stocks triggered circuit breakers four times in ten days, oil prices plunged to just over 20 dollars, and the risk of a world recession loomed.",
        "코로나19의 충격으로 세계 증시가 심하게 요동쳤고, 미국 증시는 열흘 동안 네 차례 서킷브레이커가 발동됐으며, 유가는 20여 달러로 폭락해 세계 경제의 침체 위험이 다가왔다.",
    ),
    (
        "根据一项研究表明，在防控大规模传染性疫情的传播上，当今世界近200个国家中只有10个国家具有作出快速反应、进行有效防御的能力。",
        "According to one study, of the nearly 200 countries in the world today, only 10 are capable of responding quickly and defending effectively against the spread of a large-scale epidemic.",
        "한 연구에 따르면 대규모 전염병 확산을 막는 데 있어 오늘날 세계 200개국 가까이 중 신속히 대응하고 효과적으로 방어할 능력을 갖춘 나라는 10개국뿐이다.",
    ),
    (
        "中共中央对外联络部致函60多个国家的110位政党领导人，在感谢各方提供支持帮助的同时，重点介绍了中方的抗疫做法和经验。",
        "The International Department of the CPC Central Committee wrote to 110 party leaders in more than 60 countries, thanking them for their support and help and describing China's anti-epidemic measures and experience.",
        "중국공산당 중앙대외연락부는 60여 개국의 정당 지도자 110명에게 서한을 보내 각국의 지지와 도움에 감사하는 한편 중국의 방역 방식과 경험을 중점적으로 소개했다.",
    ),
    (
        "4月29日，博鳌亚洲论坛举行线上会议，《地球是平的》作者托马斯·弗里德曼、哈佛大学肯尼迪政府学院前院长约瑟夫·奈等中外学者围绕“疫情下的全球化”展开对话讨论。",
        "On April 29, the Boao Forum for Asia held an online meeting at which Chinese and foreign scholars, including Thomas Friedman, author of The World Is Flat, and Joseph Nye, former dean of Harvard's Kennedy School of Government, discussed “Globalization under the Pandemic”.",
        "4월 29일 보아오 아시아포럼은 온라인 회의를 열었고, 《세계는 평평하다》의 저자 토머스 프리드먼, 하버드대 케네디스쿨 전 학장 조지프 나이 등 국내외 학자들이 ‘코로나19 상황에서의 세계화’를 주제로 대화를 나눴다.",
    ),
    (
        "自2020年1月疫情发生以来，中国率先采取了在武汉实施“封城”等重大举措。",
        "Since the outbreak in January 2020, China has taken the lead in major measures such as the “lockdown” of Wuhan.",
        "2020년 1월 코로나19 발생 이후 중국은 우한 ‘봉쇄’ 등 중대한 조치를 앞장서 취했다.",
    ),
    (
        "新冠肺炎成为人类社会自100年前的西班牙大流感以来传播范围最广、防控难度最大的突发公共卫生事件。",
        "COVID-19 has become the most widespread and hardest-to-control public health emergency since the Spanish flu 100 years ago.",
        "코로나19는 100년 전 스페인 독감 이후 전파 범위가 가장 넓고 방역이 가장 어려운 돌발 공중보건 사건이 되었다.",
    ),
    (
        "三月中旬以来，欧洲各国的防控措施不断升级加码。",
        "Since mid-March, European countries have steadily stepped up their control measures.",
        "3월 중순 이후 유럽 각국의 방역 조치는 계속 강화되었다.",
    ),
    (
        "在2019年“进博会”上，习主席提出“开放合作、开放创新、开放共享”的口号。",
        "At the 2019 China International Import Expo, President Xi put forward the slogan of “open cooperation, open innovation and open sharing”.",
        "2019년 ‘수입박람회’에서 시진핑 주석은 ‘개방 협력, 개방 혁신, 개방 공유’라는 구호를 제시했다.",
    ),
    (
        "疫情对全球化造成巨大冲击，表现在个体、国家、企业等三个层面。",
        "The epidemic has dealt a huge blow to globalization at three levels: individuals, states and enterprises.",
        "코로나19는 개인, 국가, 기업 등 세 가지 차원에서 세계화에 큰 충격을 주었다.",
    ),
    (
        "经过近三十多年来全球化的迅猛发展，各国各地区在增进了经贸合作的同时也密切了人员往来。",
        "After more than three decades of rapid globalization, countries and regions have deepened both their economic and trade cooperation and their people-to-people exchanges.",
        "30여 년에 걸친 세계화의 급속한 발전으로 각국과 각 지역은 경제·무역 협력을 증진하는 동시에 인적 왕래도 긴밀해졌다.",
    ),
    (
        "有分析指出，新冠疫情可能持续一到两年，甚至与人类长期共生。",
        "Some analysts point out that the pandemic may last one to two years, or even coexist with humanity for a long time.",
        "일각에서는 코로나19가 1~2년 지속되거나 심지어 인류와 장기간 공존할 수 있다고 분석한다.",
    ),
    (
        "日前，联合国安理会五大常任理事国首次召开视频会议探讨共同抗疫。",
        "Recently, the five permanent members of the UN Security Council held their first video conference to discuss a joint response to the epidemic.",
        "최근 유엔 안보리 5개 상임이사국은 처음으로 화상회의를 열어 공동 방역을 논의했다.",
    ),
    (
        "1. 更新全球化 （傅梦孜，副院长）",
        "1. Renewing globalization (Fu Mengzi, Vice President)",
        "1. 세계화의 갱신 (푸멍쯔(傅梦孜), 부원장)",
    ),
    (
        "一、新冠疫情是人类社会面临的共同挑战",
        "I. COVID-19 is a common challenge facing human society",
        "1. 코로나19는 인류 사회가 직면한 공동의 도전이다",
    ),
    (
        "习近平主席在中共十九大报告中指出，“恐怖主义、网络安全、重大传染性疾病、气候变化等非传统安全威胁持续蔓延，人类面临许多共同挑战”。",
        "In his report to the 19th National Congress of the CPC, President Xi Jinping pointed out that “non-traditional security threats such as terrorism, cyber security, major infectious diseases and climate change continue to spread, and mankind faces many common challenges”.",
        "시진핑 주석은 중국공산당 제19차 당대회 보고에서 “테러리즘, 사이버 안보, 중대 전염병, 기후변화 등 비전통 안보 위협이 계속 확산되고 있으며 인류는 많은 공동의 도전에 직면해 있다”고 지적했다.",
    ),
    (
        "对未来全球化的接受度造成二次伤害，势将带来较长时间的负面影响。",
        "It inflicts secondary damage on the acceptance of future globalization and is bound to have negative effects for a long time.",
        "미래 세계화의 수용도에 2차 피해를 입혀 비교적 오랫동안 부정적 영향을 미칠 것이다.",
    ),
    (
        "英国《经济学人》封面文章以“地球打烊了”为标题，生动形象地描述出疫情对全球的影响。",
        "A cover story in Britain's The Economist, headlined “Closed”, vividly described the epidemic's impact on the world.",
        "영국 《이코노미스트》는 ‘지구가 문을 닫았다’는 제목의 커버스토리로 코로나19가 세계에 미친 영향을 생생하게 묘사했다.",
    ),
    (
        "疫情中的全球化呈现明显的回调趋势（特别是人流），是对全球化周期性发展的有力印证。",
        "During the epidemic, globalization has shown a clear pullback (especially in the movement of people), strong evidence of its cyclical development.",
        "코로나19 속의 세계화는 뚜렷한 조정 추세(특히 인적 이동)를 보이고 있으며, 이는 세계화가 주기적으로 발전한다는 유력한 증거이다.",
    ),
    (
        "近年来，在抗击非典、H1N1流感、埃博拉病毒的过程中，国际社会已经形成了一些双边、局部的有效合作。",
        "In recent years, in fighting SARS, H1N1 influenza and the Ebola virus, the international community has developed some effective bilateral and local cooperation.",
        "최근 몇 년간 사스, H1N1 인플루엔자, 에볼라 바이러스와 싸우는 과정에서 국제사회는 양자 및 국지적 차원의 효과적인 협력을 일부 이루어 냈다.",
    ),
]


def run(source: str, target: str, lang: str, **kw) -> list[Finding]:
    return check_pair(source, target, source_lang="zh", target_lang=lang, **kw)


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def of(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


CASES = "到3月11日全球已有115个国家被卷入疫情，确诊病例上升到115119例，死亡4387人。"
AID = "还向世卫组织提供2000万美元援助……"
DONORS = SEED_PAIRS[2][0]
CRISIS = "特别是2008年全球金融危机后，全球化出现明显回缩，民粹主义、保护主义倾向上升。"
G20 = SEED_PAIRS[4][0]


# --- the seed: natural translations give no finding at all ------------------------------------------


@pytest.mark.parametrize(("zh", "en", "ko"), SEED_PAIRS, ids=[p[0][:12] for p in SEED_PAIRS])
def test_faithful_translations_of_the_seed_have_no_findings(zh: str, en: str, ko: str) -> None:
    assert run(zh, en, "en") == []
    assert run(zh, ko, "ko") == []


# --- Finding and CHECK_CODES --------------------------------------------------------------------------


def test_finding_is_frozen_serialisable_and_documented() -> None:
    findings = run(CASES, "By March 11, 115 countries had 115,118 cases and 4,387 deaths.", "en")
    assert findings
    for f in findings:
        assert f.code in CHECK_CODES
        assert f.severity in ("error", "warning", "info")
        json.dumps(f.as_dict())
        with pytest.raises(dataclasses.FrozenInstanceError):
            f.code = "x"  # type: ignore[misc]
    assert {
        "numbers",
        "brackets",
        "quotes",
        "untranslated",
        "empty",
        "same_as_source",
        "length_ratio",
        "inconsistent",
        "whitespace",
        "punctuation",
        "glossary",
    } <= set(CHECK_CODES)
    assert all(isinstance(v, str) and v for v in CHECK_CODES.values())


# --- numbers ------------------------------------------------------------------------------------------


def test_number_changed_is_an_error_naming_both_values() -> None:
    findings = of(
        run(CASES, "By March 11, 115 countries had 115,118 confirmed cases and 4,387 deaths.", "en"),
        "numbers",
    )
    assert len(findings) == 1
    f = findings[0]
    assert f.severity == "error"
    # each number as it was typed: the source wrote 115119, the target 115,118
    assert "number 115119 of the source is 115,118 in the target" in f.message
    assert f.detail is not None and f.detail["problem"] == "changed"


def test_number_missing_names_the_value() -> None:
    findings = of(
        run(CASES, "By March 11, 115 countries had been affected, with 4,387 deaths.", "en"), "numbers"
    )
    assert [f.detail["problem"] for f in findings if f.detail] == ["missing"]
    assert findings[0].severity == "error"
    assert "number 115119 of the source is missing" in findings[0].message


def test_a_number_the_target_adds_is_shown_as_typed() -> None:
    findings = of(run("疫情推动全球化变局。", "In 2009 the pandemic pushed globalisation.", "en"), "numbers")
    assert [f.message.split(" (at")[0] for f in findings] == [
        "number 2009 in the target is not in the source"
    ]


def test_a_written_out_number_shows_its_value_too() -> None:
    findings = of(run("增加了3万人。", "It grew by 20,000 people.", "en"), "numbers")
    assert any("3万 (30,000)" in f.message for f in findings), [f.message for f in findings]


@pytest.mark.parametrize(
    ("target", "lang"),
    [
        ("By March 11, 115 countries had 115119 confirmed cases and 4387 deaths.", "en"),
        ("By 11 March, 115 countries had reported 115,119 cases; 4,387 people had died.", "en"),
        ("3월 11일까지 115개국에서 확진자 115119명, 사망자 4,387명이 나왔다.", "ko"),
    ],
)
def test_same_values_written_differently_are_fine(target: str, lang: str) -> None:
    assert of(run(CASES, target, lang), "numbers") == []


def test_date_changed() -> None:
    findings = of(
        run(CASES, "By March 12, 115 countries had 115,119 cases and 4,387 deaths.", "en"), "numbers"
    )
    assert len(findings) == 1 and findings[0].severity == "error"
    assert "3/11" in findings[0].message and "March 12" in findings[0].message
    ko = of(run(CASES, "3월 12일까지 115개국, 확진자 115,119명, 사망자 4387명.", "ko"), "numbers")
    assert len(ko) == 1 and ko[0].detail["problem"] == "changed"


@pytest.mark.parametrize(
    "target",
    [
        "It has also provided US$20 million in aid to the WHO.",
        "It also gave the WHO $20,000,000 in aid.",
        "It also gave the WHO twenty million dollars in aid.",
    ],
)
def test_2000wan_equals_20_million(target: str) -> None:
    assert of(run(AID, target, "en"), "numbers") == []


@pytest.mark.parametrize(
    "target",
    [
        "세계보건기구에 2천만 달러를 지원했다.",
        "세계보건기구에 2000만 달러를 지원했다.",
        "세계보건기구에 이천만 달러를 지원했다.",
        "세계보건기구에 20,000,000달러를 지원했다.",
    ],
)
def test_2000wan_in_korean(target: str) -> None:
    assert of(run(AID, target, "ko"), "numbers") == []


@pytest.mark.parametrize(
    ("target", "lang"),
    [
        ("It has also provided US$2 million in aid to the WHO.", "en"),
        ("It has also provided US$20 billion in aid to the WHO.", "en"),
        ("It has also provided US$2,000 in aid to the WHO.", "en"),
        ("세계보건기구에 200만 달러를 지원했다.", "ko"),
        ("세계보건기구에 2천 달러를 지원했다.", "ko"),
    ],
)
def test_2000wan_wrong_magnitude(target: str, lang: str) -> None:
    findings = of(run(AID, target, lang), "numbers")
    assert findings and findings[0].severity == "error"
    assert "20,000,000" in findings[0].message


def test_approximations_nearly_70_and_more_than_160() -> None:
    en, ko = SEED_PAIRS[2][1], SEED_PAIRS[2][2]
    assert of(run(DONORS, en, "en"), "numbers") == []
    assert of(run(DONORS, ko, "ko"), "numbers") == []
    # the qualifier dropped: an info, not an error
    exact = en.replace("nearly 70", "70").replace("more than 160", "160")
    infos = of(run(DONORS, exact, "en"), "numbers")
    assert {f.severity for f in infos} == {"info"} and len(infos) == 2
    assert {f.detail["problem"] for f in infos if f.detail} == {"approximation"}
    # the opposite direction: a warning
    flipped = en.replace("nearly 70", "more than 70")
    warn = of(run(DONORS, flipped, "en"), "numbers")
    assert [f.severity for f in warn] == ["warning"] and "70" in warn[0].message
    # the value itself changed
    changed = of(run(DONORS, en.replace("more than 160", "more than 16"), "en"), "numbers")
    assert [f.severity for f in changed] == ["error"] and "160" in changed[0].message


def test_year_2008() -> None:
    en, ko = SEED_PAIRS[3][1], SEED_PAIRS[3][2]
    assert of(run(CRISIS, en, "en"), "numbers") == []
    assert of(run(CRISIS, ko, "ko"), "numbers") == []
    assert of(run(CRISIS, en.replace("2008", "2009"), "en"), "numbers")[0].severity == "error"
    assert "2008" in of(run(CRISIS, ko.replace("2008년 ", ""), "ko"), "numbers")[0].message


def test_g20_identifier() -> None:
    en, ko = SEED_PAIRS[4][1], SEED_PAIRS[4][2]
    assert of(run(G20, en, "en"), "numbers") == []
    assert of(run(G20, ko, "ko"), "numbers") == []
    dropped = "Recently, the trade working group held a special video meeting on the joint statement of the leaders."
    findings = of(run(G20, dropped, "en"), "numbers")
    assert [f.detail["problem"] for f in findings if f.detail] == ["code_missing"]
    assert "G20" in findings[0].message
    # 二十国集团（G20） as "the Group of Twenty" without the code is fine
    zh = SEED_PAIRS[5][0]
    assert (
        of(run(zh, "Countries can act through mechanisms such as the Group of Twenty.", "en"), "numbers")
        == []
    )


def test_chinese_numerals_with_measure_words() -> None:
    zh, en, ko = SEED_PAIRS[11]
    assert of(run(zh, en.replace("four times", "three times"), "en"), "numbers")
    missing = of(run(zh, en.replace(" in ten days", ""), "en"), "numbers")
    assert [f.severity for f in missing] == ["warning"] and "十" in missing[0].message
    assert of(run(zh, ko.replace("네 차례", "세 차례"), "ko"), "numbers")


def test_set_phrases_with_numerals_do_not_need_numbers() -> None:
    # 一带一路, 两极, 二战, 三大特性, 二次伤害, 十九大: natural translations have no number or an ordinal
    for idx in (7, 8, 9, 10, 25, 26):
        zh, en, ko = SEED_PAIRS[idx]
        assert of(run(zh, en, "en"), "numbers") == [], zh
        assert of(run(zh, ko, "ko"), "numbers") == [], zh


def test_extra_number_in_target_is_a_warning() -> None:
    zh, en, _ = SEED_PAIRS[15]
    findings = of(run(zh, en.replace("Wuhan", "Wuhan and 3 other cities"), "en"), "numbers")
    assert [(f.severity, f.detail["problem"]) for f in findings if f.detail] == [("warning", "extra")]


# --- brackets and quotes ------------------------------------------------------------------------------

PAREN = SEED_PAIRS[28][0]


def test_brackets_unbalanced_target_is_an_error() -> None:
    en = SEED_PAIRS[28][1]
    findings = of(run(PAREN, en.replace(")", ""), "en"), "brackets")
    assert [f.severity for f in findings] == ["error"] and "(" in findings[0].message
    findings = of(run(PAREN, SEED_PAIRS[28][2].replace("(특히", "특히"), "ko"), "brackets")
    errors = [f for f in findings if f.severity == "error"]
    assert len(errors) == 1 and ")" in errors[0].message
    assert of(run(PAREN, "A clear pullback 【especially of people).", "en"), "brackets")


def test_brackets_missing_in_target_is_a_warning() -> None:
    en = SEED_PAIRS[28][1].replace(
        " (especially in the movement of people)", ", especially in the movement of people"
    )
    findings = of(run(PAREN, en, "en"), "brackets")
    assert [f.severity for f in findings] == ["warning"]
    assert of(run(PAREN, SEED_PAIRS[28][1], "en"), "brackets") == []
    assert of(run(PAREN, SEED_PAIRS[28][2], "ko"), "brackets") == []


def test_title_marks_and_list_markers() -> None:
    zh, en, ko = SEED_PAIRS[27]
    assert of(run(zh, en, "en"), "brackets") == []  # 《经济学人》 -> The Economist, no brackets needed
    assert of(run(zh, ko, "ko"), "brackets") == []  # 《이코노미스트》
    assert of(run(zh, ko.replace("》", ""), "ko"), "brackets")[0].severity == "error"
    assert (
        of(run("有两点：1）团结 2）合作", "There are two points: 1) unity 2) cooperation", "en"), "brackets")
        == []
    )


QUOTED = SEED_PAIRS[7][0]


def test_quotes() -> None:
    en, ko = SEED_PAIRS[7][1], SEED_PAIRS[7][2]
    assert of(run(QUOTED, en, "en"), "quotes") == []
    assert of(run(QUOTED, ko, "ko"), "quotes") == []
    assert of(run(QUOTED, en.replace("“", '"').replace("”", '"'), "en"), "quotes") == []
    assert of(run(QUOTED, ko.replace("‘", "“").replace("’", "”"), "ko"), "quotes") == []
    unbalanced = of(run(QUOTED, en.replace("”", ""), "en"), "quotes")
    assert [f.severity for f in unbalanced] == ["error"]
    assert [f.severity for f in of(run(QUOTED, ko.replace("’", ""), "ko"), "quotes")] == ["error"]
    odd = of(run(QUOTED, 'Globalization in the "post-pandemic era will show three traits.', "en"), "quotes")
    assert [f.severity for f in odd] == ["error"]
    missing = of(run(QUOTED, en.replace("“", "").replace("”", ""), "en"), "quotes")
    assert [f.severity for f in missing] == ["warning"]


def test_apostrophes_are_not_quotes() -> None:
    zh, en, _ = SEED_PAIRS[27]
    assert of(run(zh, en.replace("'", "’"), "en"), "quotes") == []


# --- untranslated -------------------------------------------------------------------------------------

XI = SEED_PAIRS[25][0]


@pytest.mark.parametrize(
    ("target", "lang"),
    [
        ("President 习近平 pointed out that many challenges remain.", "en"),
        ("Globalization will show three 特性.", "en"),
        ("習近平 주석은 많은 도전이 남아 있다고 지적했다.", "ko"),
        ("세계화는 세 가지 特性을 보일 것이다.", "ko"),
    ],
)
def test_untranslated_chinese_is_an_error(target: str, lang: str) -> None:
    findings = of(run(XI, target, lang), "untranslated")
    assert [f.severity for f in findings] == ["error"]
    assert any(ch in findings[0].message for ch in ("习近平", "特性", "習近平"))


@pytest.mark.parametrize(
    ("target", "lang"),
    [
        ("President 习近平 (Xi Jinping) pointed out that many challenges remain.", "en"),
        ("President Xi Jinping (习近平) pointed out that many challenges remain.", "en"),
        ("習近平(시진핑) 주석은 많은 도전이 남아 있다고 지적했다.", "ko"),
        ("시진핑(習近平) 주석은 많은 도전이 남아 있다고 지적했다.", "ko"),
        ("시진핑 주석은 많은 도전이 남아 있다고 지적했다.", "ko"),
    ],
)
def test_hanja_with_reading_is_fine(target: str, lang: str) -> None:
    assert of(run(XI, target, lang), "untranslated") == []


def test_han_with_a_reading_in_the_wrong_script_still_counts() -> None:
    # a Korean target needs a Hangul reading, an English one a Latin reading
    assert of(run(XI, "習近平(Xi Jinping) 주석은 지적했다.", "ko"), "untranslated")
    assert of(run(XI, "President 习近平 (시진핑) pointed it out.", "en"), "untranslated")


# --- empty and same_as_source -------------------------------------------------------------------------


def test_empty_target() -> None:
    assert codes(run(CRISIS, "", "en")) == ["empty"]
    assert codes(run(CRISIS, "  \n", "ko")) == ["empty"]
    assert run(CRISIS, "", "en")[0].severity == "error"
    assert run("", "", "en") == []
    assert "empty" not in codes(run(CRISIS, SEED_PAIRS[3][1], "en"))


def test_same_as_source() -> None:
    findings = run(CRISIS, CRISIS, "en")
    assert codes(findings)[0] == "same_as_source" and findings[0].severity == "error"
    assert "untranslated" not in codes(findings)
    assert "same_as_source" not in codes(run(CRISIS, SEED_PAIRS[3][2], "ko"))
    # a segment that is only a code or a number may stay as it is
    assert run("G20", "G20", "en") == []
    assert run("2020", "2020", "ko") == []


# --- length_ratio -------------------------------------------------------------------------------------


def test_length_ratio_defaults_flag_a_truncated_translation() -> None:
    zh, en, ko = SEED_PAIRS[2]
    short_en = "So far, nearly 70 countries have donated."
    findings = of(run(zh, short_en, "en"), "length_ratio")
    assert [f.severity for f in findings] == ["warning"] and "short" in findings[0].message
    short_ko = "70개국 가까이가 기부했다."
    assert of(run(zh, short_ko, "ko"), "length_ratio")
    assert of(run(zh, en, "en"), "length_ratio") == []
    assert of(run(zh, ko, "ko"), "length_ratio") == []
    long_en = en + " " + " ".join([en] * 3)
    assert "long" in of(run(zh, long_en, "en"), "length_ratio")[0].message


def test_estimate_length_norm_from_approved_pairs_and_use_it() -> None:
    norm_en = estimate_length_norm((zh, en) for zh, en, _ in SEED_PAIRS)
    norm_ko = estimate_length_norm((zh, ko) for zh, _, ko in SEED_PAIRS)
    assert 2.6 < math.exp(norm_en.mean) < 3.6 and norm_en.n >= 25
    assert 1.0 < math.exp(norm_ko.mean) < 1.5
    assert norm_en.std >= 0.1
    # defaults agree with what the seed translations show
    assert abs(DEFAULT_LENGTH_NORMS[("zh", "en")].mean - norm_en.mean) < 0.2
    assert abs(DEFAULT_LENGTH_NORMS[("zh", "ko")].mean - norm_ko.mean) < 0.2
    zh, en, _ = SEED_PAIRS[2]
    # a norm for a terse house style makes the normal translation "long"
    terse = LengthNorm(mean=math.log(1.5), std=0.1)
    assert of(run(zh, en, "en", norms=terse), "length_ratio")
    assert of(run(zh, en, "en", norms={("zh", "en"): terse}), "length_ratio")
    assert of(run(zh, en, "en", norms=norm_en), "length_ratio") == []
    with pytest.raises(ValueError):
        estimate_length_norm([("短", "short")])


def test_length_ratio_skips_very_short_sources() -> None:
    assert of(run("一、", "I.", "en"), "length_ratio") == []


# --- inconsistent -------------------------------------------------------------------------------------


def test_find_inconsistencies() -> None:
    src = "人类命运共同体"
    units = [
        (1, src, "a community with a shared future for mankind"),
        (2, src + " ", "a community with a shared future for mankind"),
        (3, src, "a community of common destiny"),
        (4, "全球治理", "global governance"),
        (5, "全球治理", "global  governance"),
    ]
    out = find_inconsistencies(units)
    assert set(out) == {1, 2, 3}
    f = out[3][0]
    assert f.code == "inconsistent" and f.severity == "warning"
    assert "common destiny" in f.message and "shared future" in f.message
    assert f.detail is not None and sorted(f.detail["other_keys"]) == ["1", "2"]
    json.dumps(f.as_dict())
    assert find_inconsistencies(units[3:]) == {}
    assert find_inconsistencies([]) == {}


# --- whitespace and punctuation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("In particular, after the 2008  global financial crisis, globalization retreated.", "double_space"),
        (" In particular, after the 2008 global financial crisis, globalization retreated.", "edges"),
        ("In particular, after the 2008 global financial crisis, globalization retreated. ", "edges"),
        (
            "In particular , after the 2008 global financial crisis, globalization retreated.",
            "space_before_punctuation",
        ),
    ],
)
def test_whitespace(target: str, problem: str) -> None:
    findings = of(run(CRISIS, target, "en"), "whitespace")
    assert [f.detail["problem"] for f in findings if f.detail] == [problem]


def test_whitespace_clean() -> None:
    assert of(run(CRISIS, SEED_PAIRS[3][1], "en"), "whitespace") == []
    assert of(run(CRISIS, "특히 2008년  금융위기 이후 세계화는 후퇴했다.", "ko"), "whitespace")


@pytest.mark.parametrize("mark", ["，", "。", "、", "；", "：", "（", "《"])
def test_full_width_punctuation_in_english(mark: str) -> None:
    target = f"In particular{mark} after the 2008 global financial crisis globalization retreated."
    findings = of(run(CRISIS, target, "en"), "punctuation")
    assert [f.severity for f in findings] == ["error"] and mark in findings[0].message


def test_punctuation_clean_and_korean() -> None:
    assert of(run(CRISIS, SEED_PAIRS[3][1], "en"), "punctuation") == []
    assert of(run(CRISIS, SEED_PAIRS[3][2], "ko"), "punctuation") == []
    # Korean keeps 《》 and curly quotes, but not a full-width comma
    zh, _, ko = SEED_PAIRS[14]
    assert of(run(zh, ko, "ko"), "punctuation") == []
    assert [f.severity for f in of(run(zh, ko.replace(",", "，"), "ko"), "punctuation")] == ["warning"]


# --- glossary -----------------------------------------------------------------------------------------

GLOSSARY = [
    GlossaryTerm(
        "人类命运共同体",
        ("community with a shared future for mankind", "인류운명공동체"),
        ("community of common destiny",),
    ),
    {
        "source": "一带一路",
        "preferred": ["Belt and Road", "일대일로"],
        "forbidden": ["One Belt, One Road", "OBOR"],
    },
    ("全球治理", ["global governance", "글로벌 거버넌스"], []),
]


def test_glossary_preferred_present_no_finding() -> None:
    zh, en, ko = SEED_PAIRS[8]
    assert of(run(zh, en, "en", glossary=GLOSSARY), "glossary") == []
    assert of(run(zh, ko, "ko", glossary=GLOSSARY), "glossary") == []
    # case-insensitive in English
    assert (
        of(run(zh, en.replace("Belt and Road", "belt and road"), "en", glossary=GLOSSARY), "glossary") == []
    )


def test_glossary_preferred_missing_is_a_warning() -> None:
    zh, en, _ = SEED_PAIRS[8]
    target = en.replace("a community with a shared future for mankind", "a shared human future")
    findings = of(run(zh, target, "en", glossary=GLOSSARY), "glossary")
    assert [f.severity for f in findings] == ["warning"]
    assert "community with a shared future for mankind" in findings[0].message


def test_glossary_forbidden_is_an_error() -> None:
    zh, en, _ = SEED_PAIRS[8]
    target = en.replace("“Belt and Road” cooperation", "“One Belt, One Road” cooperation")
    findings = of(run(zh, target, "en", glossary=GLOSSARY), "glossary")
    assert sorted(f.severity for f in findings) == ["error", "warning"]
    assert any("One Belt, One Road" in f.message for f in findings)
    # a term absent from the source is not checked
    assert of(run(CRISIS, SEED_PAIRS[3][1], "en", glossary=GLOSSARY), "glossary") == []
    # "OBOR" must match a word, not part of one
    assert of(run("一带一路", "the Belt and Road (not koboro)", "en", glossary=GLOSSARY), "glossary") == []
