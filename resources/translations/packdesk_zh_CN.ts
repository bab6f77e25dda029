<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name />
    <message>
        <source>Cannot do that</source>
        <translation>无法执行</translation>
    </message>
    <message>
        <source>Packdesk ran into a bug</source>
        <translation>Packdesk 出现了程序错误</translation>
    </message>
    <message>
        <source>Something unexpected went wrong. Your saved work is safe; what you were doing just now may not have been saved.</source>
        <translation>发生了意外错误。已保存的工作是安全的；刚才的操作可能没有保存。</translation>
    </message>
    <message>
        <source>The details are in the log file:
{path}
Please send it with a bug report.</source>
        <translation>详细信息在日志文件中：
{path}
请在报告问题时附上该文件。</translation>
    </message>
    <message>
        <source>prefix</source>
        <extracomment>every live reading of the scale (ScaleReading), or the PackdeskError that stopped one the scan filter's clock (tests inject one: QTest key events have no timestamps) role -&gt; (ok, short text, full sentence) the document printer's queue (slips), apart from the label printer's</extracomment>
        <translation>前缀</translation>
    </message>
    <message>
        <source>timing</source>
        <translation>按键间隔</translation>
    </message>
    <message>
        <source>Scanner: keyboard</source>
        <translation>扫码枪：键盘模式</translation>
    </message>
    <message>
        <source>Keyboard-wedge scanner, recognised by {how}.</source>
        <translation>键盘模式扫码枪，按{how}识别扫码。</translation>
    </message>
    <message>
        <source>Scanner: connecting</source>
        <translation>扫码枪：连接中</translation>
    </message>
    <message>
        <source>Opening {port}…</source>
        <translation>正在打开 {port}…</translation>
    </message>
    <message>
        <source>Scanner: off</source>
        <translation>扫码枪：未启用</translation>
    </message>
    <message>
        <source>No scanner is set up.</source>
        <translation>未设置扫码枪。</translation>
    </message>
    <message>
        <source>Scale: none</source>
        <translation>电子秤：无</translation>
    </message>
    <message>
        <source>No scale is set up.</source>
        <translation>未设置电子秤。</translation>
    </message>
    <message>
        <source>Scale: connecting</source>
        <translation>电子秤：连接中</translation>
    </message>
    <message>
        <source>Printer: connecting</source>
        <translation>打印机：连接中</translation>
    </message>
    <message>
        <source>Slips: connecting</source>
        <translation>单据：正在连接</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Tote</source>
        <translation>周转箱</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>快递单号</translation>
    </message>
    <message>
        <source>User badge</source>
        <translation>员工工牌</translation>
    </message>
    <message>
        <source>SSCC</source>
        <translation>SSCC</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>指令</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Unreadable</source>
        <translation>无法识别</translation>
    </message>
    <message>
        <source>Quantity {n}</source>
        <translation>数量 {n}</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>重打</translation>
    </message>
    <message>
        <source>Keyboard</source>
        <translation>键盘</translation>
    </message>
    <message>
        <source>Command: {command}</source>
        <translation>指令：{command}</translation>
    </message>
    <message>
        <source>Product {sku}: {name}</source>
        <translation>商品 {sku}：{name}</translation>
    </message>
    <message>
        <source>lot {lot}, expires {expiry}</source>
        <translation>批次 {lot}，效期至 {expiry}</translation>
    </message>
    <message>
        <source>Tracking number {code} ({carrier})</source>
        <translation>快递单号 {code}（{carrier}）</translation>
    </message>
    <message>
        <source>Order {number}</source>
        <translation>订单 {number}</translation>
    </message>
    <message>
        <source>Badge of {user}</source>
        <translation>{user} 的工牌</translation>
    </message>
    <message>
        <source>{kind} {code}</source>
        <translation>{kind} {code}</translation>
    </message>
    <message>
        <source>Scanner: ready</source>
        <translation>扫码枪：就绪</translation>
    </message>
    <message>
        <source>Connected on {port}.</source>
        <translation>已连接 {port}。</translation>
    </message>
    <message>
        <source>Scanner: stopped</source>
        <translation>扫码枪：已停止</translation>
    </message>
    <message>
        <source>The scanner was stopped.</source>
        <translation>扫码枪已停止。</translation>
    </message>
    <message>
        <source>Scanner: not connected</source>
        <translation>扫码枪：未连接</translation>
    </message>
    <message>
        <source>{problem} Packdesk keeps trying.</source>
        <translation>{problem} Packdesk 会持续重试。</translation>
    </message>
    <message>
        <source>{value} {unit}</source>
        <translation>{value} {unit}</translation>
    </message>
    <message>
        <source>Scale: not ready</source>
        <translation>电子秤：未就绪</translation>
    </message>
    <message>
        <source>Scale: check it</source>
        <translation>电子秤：请检查</translation>
    </message>
    <message>
        <source>Scale: {weight}</source>
        <translation>电子秤：{weight}</translation>
    </message>
    <message>
        <source>{weight}, stable.</source>
        <translation>{weight}，已稳定。</translation>
    </message>
    <message>
        <source>{weight}, moving.</source>
        <translation>{weight}，不稳定。</translation>
    </message>
    <message>
        <source>Printer: none</source>
        <translation>打印机：无</translation>
    </message>
    <message>
        <source>No label printer is set up for this station.</source>
        <translation>本工作站未设置标签打印机。</translation>
    </message>
    <message>
        <source>Printer: not answering</source>
        <translation>打印机：无响应</translation>
    </message>
    <message>
        <source>Printer: ready</source>
        <translation>打印机：就绪</translation>
    </message>
    <message>
        <source>Printer: not ready</source>
        <translation>打印机：未就绪</translation>
    </message>
    <message>
        <source>Product {detail}</source>
        <translation>商品 {detail}</translation>
    </message>
    <message>
        <source>GS1-128 of {detail}, with lot and expiry</source>
        <translation>{detail} 的 GS1-128 条码（含批次和效期）</translation>
    </message>
    <message>
        <source>Location {detail}</source>
        <translation>库位 {detail}</translation>
    </message>
    <message>
        <source>Order {detail}</source>
        <translation>订单 {detail}</translation>
    </message>
    <message>
        <source>Command: {detail}</source>
        <translation>指令：{detail}</translation>
    </message>
    <message>
        <source>Tracking number ({detail})</source>
        <translation>快递单号（{detail}）</translation>
    </message>
    <message>
        <source>SSCC (pallet)</source>
        <translation>SSCC（托盘）</translation>
    </message>
    <message>
        <source>Unknown barcode</source>
        <translation>未知条码</translation>
    </message>
    <message>
        <source>{what}: {code}</source>
        <translation>{what}：{code}</translation>
    </message>
    <message>
        <source>the default printer</source>
        <translation>默认打印机</translation>
    </message>
    <message>
        <source>the system has no such printer (is it installed?)</source>
        <translation>系统中没有这台打印机（是否已安装？）</translation>
    </message>
    <message>
        <source>Printing to the file {path}.</source>
        <translation>正在打印到文件 {path}。</translation>
    </message>
    <message>
        <source>The system reports a problem with {name}. Open its print queue, fix it and resume the queue.</source>
        <translation>系统报告 {name} 出现问题。请打开它的打印队列，排除问题后恢复队列。</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <source>Shipping label</source>
        <translation>快递面单</translation>
    </message>
    <message>
        <source>Packing slip</source>
        <translation>装箱单</translation>
    </message>
    <message>
        <source>Pickup slip</source>
        <translation>自提单</translation>
    </message>
    <message>
        <source>Carrier label</source>
        <translation>承运商面单</translation>
    </message>
    <message>
        <source>Test label</source>
        <translation>测试标签</translation>
    </message>
    <message>
        <source>Pick list</source>
        <translation>拣货单</translation>
    </message>
    <message>
        <source>Manifest</source>
        <translation>交接清单</translation>
    </message>
    <message>
        <source>Station card</source>
        <translation>工作站指令卡</translation>
    </message>
    <message>
        <source> (reprint of {job})</source>
        <translation>（重打自任务 {job}）</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>For</source>
        <translation>用于</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Slips: off</source>
        <translation>单据：关闭</translation>
    </message>
    <message>
        <source>No document printer is set up for this station.</source>
        <translation>本工作站未设置文档打印机。</translation>
    </message>
    <message>
        <source>Slips: not answering</source>
        <translation>单据：无响应</translation>
    </message>
    <message>
        <source>Slips: ready</source>
        <translation>单据：就绪</translation>
    </message>
    <message>
        <source>Slips: not ready</source>
        <translation>单据：未就绪</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Packdesk</source>
        <extracomment>the bundled parts are listed (read off the UI thread: package metadata is slow to walk)</extracomment>
        <translation>关于 Packdesk</translation>
    </message>
    <message>
        <source>reading…</source>
        <translation>读取中…</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>Database schema</source>
        <translation>数据库结构版本</translation>
    </message>
    <message>
        <source>Copy to clipboard</source>
        <translation>复制到剪贴板</translation>
    </message>
    <message>
        <source>Bundled parts and their licences (select one to read it)</source>
        <translation>随附组件及其许可证（选中一项查看全文）</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Qt</source>
        <translation>Qt</translation>
    </message>
    <message>
        <source>PySide6</source>
        <translation>PySide6</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>日志文件夹</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>数据库</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>{name} ships no licence file in its package; its licence is {licence}.</source>
        <translation>{name} 的安装包未附许可证文件；其许可证为 {licence}。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>{revision} (current)</source>
        <translation>{revision}（最新）</translation>
    </message>
    <message>
        <source>{revision}; this version of Packdesk expects {head}</source>
        <translation>{revision}；此版本 Packdesk 需要 {head}</translation>
    </message>
</context>
<context>
    <name>AddUserDialog</name>
    <message>
        <source>Add a user</source>
        <translation>添加用户</translation>
    </message>
    <message>
        <source>optional: scan the badge</source>
        <translation>可选：扫描工牌</translation>
    </message>
    <message>
        <source>4 to 8 digits, with a badge</source>
        <translation>4 到 8 位数字，配合工牌使用</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>工牌</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
</context>
<context>
    <name>AllocationSection</name>
    <message>
        <source>Allocation and shelf life</source>
        <translation>分配与保质期</translation>
    </message>
    <message>
        <source>Stock is reserved first-expired-first-out for goods with an expiry date and first-in-first-out for the rest. Here you choose what a released order does when stock is short, and how long a lot must still keep to be sent out.</source>
        <translation>有保质期的商品按先到期先出分配库存，其余按先进先出。这里设置库存不足时已放行订单如何处理，以及批次至少还需剩余多长保质期才能发出。</translation>
    </message>
    <message>
        <source>Hold the whole order until all of it is in stock</source>
        <translation>整单挂起，直到全部有货</translation>
    </message>
    <message>
        <source>Send what is there; the rest waits as a backorder</source>
        <translation>先发有货部分，其余作为缺货单等待</translation>
    </message>
    <message>
        <source>When stock is short</source>
        <translation>库存不足时</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>no minimum (expired lots never go)</source>
        <translation>无最低要求（过期批次绝不发出）</translation>
    </message>
    <message>
        <source>Minimum shelf life left to send a lot</source>
        <translation>批次发出所需的最短剩余保质期</translation>
    </message>
</context>
<context>
    <name>CarriersScreen</name>
    <message>
        <source>Carriers</source>
        <extracomment>the table was (re)loaded a folder of label files was attached (or failed)</extracomment>
        <translation>快递公司</translation>
    </message>
    <message>
        <source>Load tracking numbers...</source>
        <translation>导入运单号…</translation>
    </message>
    <message>
        <source>Voided numbers...</source>
        <translation>作废单号…</translation>
    </message>
    <message>
        <source>Attach label files...</source>
        <translation>导入面单文件…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Cut-off times...</source>
        <translation>截单时间...</translation>
    </message>
    <message>
        <source>Tracking numbers are running out: {names}. Load more.</source>
        <translation>运单号即将用完：{names}。请补充导入。</translation>
    </message>
    <message>
        <source>No carriers yet.</source>
        <translation>还没有快递公司。</translation>
    </message>
    <message>
        <source>Folder of carrier labels</source>
        <translation>快递面单文件夹</translation>
    </message>
    <message>
        <source>{n} labels attached, {s} attached before, {e} not attached.</source>
        <translation>已关联 {n} 张面单，{s} 张之前已关联，{e} 张未能关联。</translation>
    </message>
</context>
<context>
    <name>CartsDialog</name>
    <message>
        <source>Pick carts</source>
        <translation>拣货车</translation>
    </message>
    <message>
        <source>e.g. C12: tote labels are C12-01, C12-02...</source>
        <translation>例如 C12：周转箱标签为 C12-01、C12-02...</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Cart name</source>
        <translation>拣货车名称</translation>
    </message>
    <message>
        <source>Tote slots</source>
        <translation>周转箱格位</translation>
    </message>
    <message>
        <source>Most orders</source>
        <translation>最多订单数</translation>
    </message>
    <message>
        <source>Most lines</source>
        <translation>最多行数</translation>
    </message>
    <message>
        <source>Most weight (g)</source>
        <translation>最大重量（克）</translation>
    </message>
    <message>
        <source>Most volume (cm³)</source>
        <translation>最大体积（cm³）</translation>
    </message>
    <message>
        <source>Save cart</source>
        <translation>保存拣货车</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>CheckSettingsDialog</name>
    <message>
        <source>Check settings</source>
        <translation>审单规则设置</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>PO Box; US; USPS</source>
        <translation>PO Box; US; USPS</translation>
    </message>
    <message>
        <source>Hold orders the channel refunded in part</source>
        <translation>挂起渠道已部分退款的订单</translation>
    </message>
    <message>
        <source>Checks that run</source>
        <translation>启用的审单规则</translation>
    </message>
    <message>
        <source>Same customer and items within</source>
        <translation>查重时间范围（同客户同商品）</translation>
    </message>
    <message>
        <source>Most units per line without review</source>
        <translation>单行免审最大件数</translation>
    </message>
    <message>
        <source>Payment statuses that count as paid</source>
        <translation>视为已付款的付款状态</translation>
    </message>
    <message>
        <source>Countries where a phone is required</source>
        <translation>必须填写电话的国家</translation>
    </message>
    <message>
        <source>Cash-on-delivery payment methods</source>
        <translation>货到付款的付款方式</translation>
    </message>
    <message>
        <source>Payment methods whose unpaid orders go out</source>
        <translation>未付款也可发货的付款方式</translation>
    </message>
    <message>
        <source>Shipping methods that mean pickup</source>
        <translation>表示自提的配送方式</translation>
    </message>
    <message>
        <source>Address words carriers refuse (one a line)</source>
        <translation>快递拒收的地址关键词（每行一个）</translation>
    </message>
    <message>
        <source>Allowed where (word; country; carrier, one a line;
no carrier: any)</source>
        <translation>例外（词; 国家; 承运商，每行一条；
不写承运商：任何承运商）</translation>
    </message>
</context>
<context>
    <name>ChecksSection</name>
    <message>
        <source>Order checks</source>
        <translation>订单审核</translation>
    </message>
    <message>
        <source>Every imported order passes these checks before it is released; an order that fails one waits on the Review screen with the reason. Changes apply to orders checked from now on (Check again on the Review screen for held ones).</source>
        <translation>每个导入的订单在放行前都要通过这些检查；未通过的订单会带着原因在审单界面等待。修改对之后检查的订单生效（已挂起的订单请在审单界面点“重新检查”）。</translation>
    </message>
    <message>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <source>Same customer and items within</source>
        <translation>查重时间范围（同客户同商品）</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Most units per line without review</source>
        <translation>单行免审最大件数</translation>
    </message>
    <message>
        <source>Payment statuses that count as paid</source>
        <translation>视为已付款的付款状态</translation>
    </message>
    <message>
        <source>Countries where a phone is required</source>
        <translation>必须填写电话的国家</translation>
    </message>
    <message>
        <source>Cash-on-delivery payment methods</source>
        <translation>货到付款的付款方式</translation>
    </message>
    <message>
        <source>Payment methods whose unpaid orders go out</source>
        <translation>未付款也可发货的付款方式</translation>
    </message>
    <message>
        <source>Shipping methods that mean pickup</source>
        <translation>表示自提的配送方式</translation>
    </message>
    <message>
        <source>Address words carriers refuse (one a line)</source>
        <translation>快递拒收的地址关键词（每行一个）</translation>
    </message>
    <message>
        <source>PO Box; US; USPS</source>
        <translation>PO Box; US; USPS</translation>
    </message>
    <message>
        <source>Allowed where (word; country; carrier, one a line; no carrier: any)</source>
        <translation>允许的情况（词; 国家; 快递公司，每行一条；不填快递公司表示任意）</translation>
    </message>
    <message>
        <source>Hold orders the channel refunded in part</source>
        <translation>挂起渠道已部分退款的订单</translation>
    </message>
    <message>
        <source>Checks that run</source>
        <translation>启用的审单规则</translation>
    </message>
</context>
<context>
    <name>CreateWavesDialog</name>
    <message>
        <source>Make waves</source>
        <translation>生成波次</translation>
    </message>
    <message>
        <source>No rule</source>
        <translation>不用规则</translation>
    </message>
    <message>
        <source>The rule's (else pick to tote)</source>
        <translation>按规则（否则边拣边分）</translation>
    </message>
    <message>
        <source>The rule's (else the first cart)</source>
        <translation>按规则（否则第一辆拣货车）</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Pick method</source>
        <translation>拣货方式</translation>
    </message>
    <message>
        <source>Cart</source>
        <translation>拣货车</translation>
    </message>
    <message>
        <source>Most orders per wave</source>
        <translation>每个波次最多订单数</translation>
    </message>
    <message>
        <source>Choose orders in the list to put just those into waves. With none chosen, the rule's orders (or every waiting order) go. Priorities are never mixed.</source>
        <translation>在列表中选择订单，只把这些订单组成波次。不选时，按规则选取订单（无规则则为全部等待中的订单）。不同优先级绝不混在一个波次里。</translation>
    </message>
    <message>
        <source>Allocated orders waiting for a wave: {n}</source>
        <translation>已分配、等待组波次的订单：{n}</translation>
    </message>
    <message>
        <source>No waiting order matches: no wave was made.</source>
        <translation>没有符合条件的等待订单：未生成波次。</translation>
    </message>
</context>
<context>
    <name>CutoffDialog</name>
    <message>
        <source>Cut-off times</source>
        <extracomment>every changed time was saved a time was refused (its reason is shown)</extracomment>
        <translation>截单时间</translation>
    </message>
    <message>
        <source>HH:MM, empty for none</source>
        <translation>时:分,留空表示无</translation>
    </message>
    <message>
        <source>The carrier's last pick-up of the day, on this warehouse's clock. The Ship screen counts down to it: amber half an hour before, red once it has passed.</source>
        <translation>承运商当天最后一次揽收时间(按本仓库时钟)。发货界面会倒计时:提前半小时变黄,过时变红。</translation>
    </message>
</context>
<context>
    <name>CutoffsSection</name>
    <message>
        <source>Carriers' cut-off times</source>
        <translation>快递截单时间</translation>
    </message>
    <message>
        <source>Each carrier's last pick-up of the day, on this warehouse's clock (HH:MM, empty for none). The Ship screen counts down to it: amber half an hour before, red once it has passed.</source>
        <translation>各快递公司当天最后一次揽收时间，按本仓库时钟（HH:MM，留空表示无）。发货界面会倒计时：提前半小时变黄，过时变红。</translation>
    </message>
    <message>
        <source>No active carrier yet: add one on the Carriers screen.</source>
        <translation>还没有启用的快递公司：请在快递公司界面添加。</translation>
    </message>
    <message>
        <source>HH:MM, empty for none</source>
        <translation>时:分,留空表示无</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>Carriers' cut-offs</source>
        <translation>承运商截单时间</translation>
    </message>
    <message>
        <source>Carrier</source>
        <extracomment>(carrier, cut-off, waiting, time left) as shown, for the tests</extracomment>
        <translation>承运商</translation>
    </message>
    <message>
        <source>Cut-off</source>
        <translation>截单</translation>
    </message>
    <message>
        <source>Not handed over</source>
        <translation>未交接</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>No carrier has parcels waiting or a cut-off today.</source>
        <translation>今天没有承运商有待交接包裹或截单时间。</translation>
    </message>
    <message>
        <source>passed {t}</source>
        <translation>已超过 {t}</translation>
    </message>
</context>
<context>
    <name>DashboardScreen</name>
    <message>
        <source>Dashboard</source>
        <extracomment>the figures are read again this often while the screen is shown the figures were shown (or the load failed)</extracomment>
        <translation>看板</translation>
    </message>
    <message>
        <source>Today</source>
        <extracomment>the clock and time zone of the figures (None: the station's); tests set them</extracomment>
        <translation>今天</translation>
    </message>
    <message>
        <source>by station</source>
        <translation>按工作台</translation>
    </message>
    <message>
        <source>by packer</source>
        <translation>按打包员</translation>
    </message>
    <message>
        <source>Packed per hour:</source>
        <translation>每小时打包：</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Export CSV...</source>
        <translation>导出 CSV...</translation>
    </message>
    <message>
        <source>open orders</source>
        <translation>未完成订单</translation>
    </message>
    <message>
        <source>orders packed today</source>
        <translation>今日已打包订单</translation>
    </message>
    <message>
        <source>orders shipped today</source>
        <translation>今日已发货订单</translation>
    </message>
    <message>
        <source>pick walk shorter than S-shape</source>
        <translation>拣货路程比 S 形路线短</translation>
    </message>
    <message>
        <source>refused scans and weight stops today</source>
        <translation>今日拒收扫描和称重拦截</translation>
    </message>
    <message>
        <source>units returned today</source>
        <translation>今日退回件数</translation>
    </message>
    <message>
        <source>Open orders by status</source>
        <translation>未完成订单（按状态）</translation>
    </message>
    <message>
        <source>Orders packed per hour</source>
        <translation>每小时打包订单数</translation>
    </message>
    <message>
        <source>Pick walk per hour (m)</source>
        <translation>每小时拣货路程（米）</translation>
    </message>
    <message>
        <source>Refused scans and weight exceptions per hour</source>
        <translation>每小时拒收扫描和重量异常</translation>
    </message>
    <message>
        <source>Returns by reason (units)</source>
        <translation>退货原因（件数）</translation>
    </message>
    <message>
        <source>Today {day}</source>
        <translation>今天 {day}</translation>
    </message>
    <message>
        <source>Updated at {time}</source>
        <translation>更新于 {time}</translation>
    </message>
    <message>
        <source>Returns by reason: none finished today</source>
        <translation>退货原因：今天没有完成的退货</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Orders packed per hour by station</source>
        <translation>每小时打包订单数（按工作台）</translation>
    </message>
    <message>
        <source>Orders packed per hour by packer</source>
        <translation>每小时打包订单数（按打包员）</translation>
    </message>
    <message>
        <source>Pick walk per hour (m): {saving} against S-shape</source>
        <translation>每小时拣货路程（米）：比 S 形路线 {saving}</translation>
    </message>
    <message>
        <source>Walked</source>
        <translation>实际路程</translation>
    </message>
    <message>
        <source>S-shape</source>
        <translation>S 形路线</translation>
    </message>
    <message>
        <source>metres</source>
        <translation>米</translation>
    </message>
    <message>
        <source>Pack mis-scans</source>
        <translation>打包错扫</translation>
    </message>
    <message>
        <source>Weight exceptions</source>
        <translation>重量异常</translation>
    </message>
    <message>
        <source>Pick refused scans</source>
        <translation>拣货拒收扫描</translation>
    </message>
    <message>
        <source>Export the dashboard's figures</source>
        <translation>导出看板数据</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Could not write {path}: {error}</source>
        <translation>无法写入 {path}：{error}</translation>
    </message>
    <message>
        <source>{n} figures written to {path}</source>
        <translation>已将 {n} 项数据写入 {path}</translation>
    </message>
</context>
<context>
    <name>Delivery</name>
    <message>
        <source>In transit</source>
        <translation>运输中</translation>
    </message>
    <message>
        <source>Out for delivery</source>
        <translation>派送中</translation>
    </message>
    <message>
        <source>At a pickup point</source>
        <translation>待取件（驿站/快递柜）</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>已签收</translation>
    </message>
    <message>
        <source>Problem reported</source>
        <translation>问题件</translation>
    </message>
    <message>
        <source>Returned to sender</source>
        <translation>退回寄件人</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>丢失</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>破损</translation>
    </message>
    <message>
        <source>No scan</source>
        <translation>长时间无轨迹</translation>
    </message>
    <message>
        <source>Delivered, never handed over</source>
        <translation>已签收但未交接</translation>
    </message>
    <message>
        <source>none since it was shipped</source>
        <extracomment>row colours by kind: the carrier lost or broke it (red), it is coming back (amber)</extracomment>
        <translation>发出后无轨迹</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>运单号</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>承运商</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Last event</source>
        <translation>最新轨迹</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>DeliveryExceptionsScreen</name>
    <message>
        <source>Delivery exceptions</source>
        <extracomment>the list is fetched again this often while the screen is shown the list was shown an action finished (its message, and whether it worked)</extracomment>
        <translation>物流异常</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>A shipped parcel with no scan for this long is listed</source>
        <translation>已发货的包裹超过这么久没有新轨迹就会列出</translation>
    </message>
    <message>
        <source>No scan after:</source>
        <translation>无轨迹天数：</translation>
    </message>
    <message>
        <source>Resolve...</source>
        <translation>处理...</translation>
    </message>
    <message>
        <source>Import status file...</source>
        <translation>导入物流状态文件...</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>1 parcel needs a look</source>
        <translation>1 个包裹需要处理</translation>
    </message>
    <message>
        <source>{n} parcels need a look</source>
        <translation>{n} 个包裹需要处理</translation>
    </message>
    <message>
        <source>No delivery exception</source>
        <translation>没有物流异常</translation>
    </message>
    <message>
        <source>Parcels the carrier lost, damaged or is returning, problems it reported, and shipped parcels with no scan for {days} days. Call the carrier, then resolve the row with what was done. Double-click a row to open the order.</source>
        <translation>快递丢失、破损或退回的包裹，快递报告的问题件，以及发出后 {days} 天没有新轨迹的包裹。请联系快递公司，然后填写处理结果并标记为已处理。双击一行可打开订单。</translation>
    </message>
    <message>
        <source>Resolve the exception</source>
        <translation>处理异常</translation>
    </message>
    <message>
        <source>Order {order}, {tracking}: what was done?</source>
        <translation>订单 {order}，{tracking}：做了什么处理？</translation>
    </message>
    <message>
        <source>Order {order}: resolved ({note}).</source>
        <translation>订单 {order}：已处理（{note}）。</translation>
    </message>
    <message>
        <source>Parcels with no scan for {days} days are listed from now on.</source>
        <translation>从现在起，{days} 天没有新轨迹的包裹会被列出。</translation>
    </message>
    <message>
        <source>Import a carrier status file</source>
        <translation>导入快递物流状态文件</translation>
    </message>
    <message>
        <source>Status files (*.csv *.xlsx *.txt);;All files (*)</source>
        <translation>物流状态文件 (*.csv *.xlsx *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>{file}: {events} new events, {delivered} orders delivered, {exceptions} new exceptions.</source>
        <translation>{file}：新增 {events} 条轨迹，{delivered} 个订单已签收，新增 {exceptions} 条异常。</translation>
    </message>
    <message>
        <source>No parcel has these numbers: {numbers}.</source>
        <translation>以下单号没有对应的包裹：{numbers}。</translation>
    </message>
    <message>
        <source>Rows not read: {rows}.</source>
        <translation>未读取的行：{rows}。</translation>
    </message>
</context>
<context>
    <name>DevicesScreen</name>
    <message>
        <source>Station devices</source>
        <extracomment>the navigation group this screen belongs to</extracomment>
        <translation>工作站设备</translation>
    </message>
    <message>
        <source>Save and restart devices</source>
        <translation>保存并重启设备</translation>
    </message>
    <message>
        <source>Undo changes</source>
        <translation>撤销修改</translation>
    </message>
    <message>
        <source>Read weight</source>
        <translation>读取重量</translation>
    </message>
    <message>
        <source>Zero</source>
        <translation>置零</translation>
    </message>
    <message>
        <source>Tare</source>
        <translation>去皮</translation>
    </message>
    <message>
        <source>Print test label</source>
        <translation>打印测试标签</translation>
    </message>
    <message>
        <source>Print station card</source>
        <translation>打印指令卡</translation>
    </message>
    <message>
        <source>The command barcodes (confirm, cancel, next, reprint, quantities) on a label.</source>
        <translation>把指令条码（确认、取消、下一个、重打、数量）打印在一张标签上。</translation>
    </message>
    <message>
        <source>Device status</source>
        <translation>设备状态</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>扫码枪</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>电子秤</translation>
    </message>
    <message>
        <source>Label printer</source>
        <translation>标签打印机</translation>
    </message>
    <message>
        <source>Document printer (packing slips)</source>
        <translation>文档打印机（装箱单）</translation>
    </message>
    <message>
        <source>Last scans (scan anything to test the scanner)</source>
        <translation>最近扫码（扫任意条码即可测试扫码枪）</translation>
    </message>
    <message>
        <source>Print jobs of this station</source>
        <translation>本工作站的打印任务</translation>
    </message>
    <message>
        <source>Devices of station {station}</source>
        <translation>工作站 {station} 的设备</translation>
    </message>
    <message>
        <source>The stored device settings could not be read: {problem}</source>
        <translation>无法读取已保存的设备设置：{problem}</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未启动</translation>
    </message>
    <message>
        <source>Saved. The devices were restarted with these settings.</source>
        <translation>已保存。设备已按新设置重启。</translation>
    </message>
    <message>
        <source>No scale is running. Choose one and save first.</source>
        <translation>没有运行中的电子秤。请先选择电子秤并保存。</translation>
    </message>
    <message>
        <source>Weighing…</source>
        <translation>正在称重…</translation>
    </message>
    <message>
        <source>The scale was zeroed.</source>
        <translation>电子秤已置零。</translation>
    </message>
    <message>
        <source>Tare taken.</source>
        <translation>已去皮。</translation>
    </message>
    <message>
        <source>Test label queued as print job {job}.</source>
        <translation>测试标签已加入打印队列，任务号 {job}。</translation>
    </message>
    <message>
        <source>Station card queued as print job {job}.</source>
        <translation>指令卡已加入打印队列，任务号 {job}。</translation>
    </message>
    <message>
        <source>No label printer is chosen.</source>
        <translation>未选择标签打印机。</translation>
    </message>
</context>
<context>
    <name>DocumentsForm</name>
    <message>
        <source>Document printer (packing slips)</source>
        <translation>文档打印机（装箱单）</translation>
    </message>
    <message>
        <source>No slips</source>
        <translation>不打印单据</translation>
    </message>
    <message>
        <source>PDF files in a folder</source>
        <translation>保存为 PDF 文件到文件夹</translation>
    </message>
    <message>
        <source>System printer</source>
        <translation>系统打印机</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>(the default printer)</source>
        <translation>（默认打印机）</translation>
    </message>
    <message>
        <source>Slips go to</source>
        <translation>单据输出到</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <source>Folder for the slips</source>
        <translation>装箱单保存文件夹</translation>
    </message>
</context>
<context>
    <name>EmulatorPanel</name>
    <message>
        <source>Device emulators (demo)</source>
        <translation>设备模拟器（演示）</translation>
    </message>
    <message>
        <source>No hardware needed: these emulated devices talk to Packdesk over a serial line and the network, exactly like real ones.</source>
        <translation>无需真实硬件：这些模拟设备通过串口和网络与 Packdesk 通信，与真实设备完全一样。</translation>
    </message>
    <message>
        <source>Barcode scanner (serial)</source>
        <translation>扫码枪（串口）</translation>
    </message>
    <message>
        <source>Type a barcode; \x1d is the GS separator</source>
        <translation>输入条码；\x1d 表示 GS 分隔符</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>扫码</translation>
    </message>
    <message>
        <source>Scan this</source>
        <translation>扫描所选</translation>
    </message>
    <message>
        <source>Unplug</source>
        <translation>拔出</translation>
    </message>
    <message>
        <source>Send garbage</source>
        <translation>发送乱码</translation>
    </message>
    <message>
        <source>The emulated scanner is unplugged. Plug it in first.</source>
        <translation>模拟扫码枪已拔出。请先插上。</translation>
    </message>
    <message>
        <source>Scanned {code}.</source>
        <translation>已扫描 {code}。</translation>
    </message>
    <message>
        <source>Plug in</source>
        <translation>插上</translation>
    </message>
    <message>
        <source>Scanner unplugged: watch the status bar.</source>
        <translation>扫码枪已拔出：请看状态栏。</translation>
    </message>
    <message>
        <source>Scanner plugged in again; Packdesk reconnects by itself.</source>
        <translation>扫码枪已重新插上；Packdesk 会自动重连。</translation>
    </message>
    <message>
        <source>Scale (MT-SICS, serial)</source>
        <translation>电子秤（MT-SICS，串口）</translation>
    </message>
    <message>
        <source>Put on (steady)</source>
        <translation>放上（稳定）</translation>
    </message>
    <message>
        <source>Put on (wobbling)</source>
        <translation>放上（晃动）</translation>
    </message>
    <message>
        <source>Overload</source>
        <translation>超载</translation>
    </message>
    <message>
        <source>Take it off</source>
        <translation>取下</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>重量</translation>
    </message>
    <message>
        <source>{value} kg on the scale, steady.</source>
        <translation>秤上 {value} kg，已稳定。</translation>
    </message>
    <message>
        <source>{value} kg on the scale, wobbling.</source>
        <translation>秤上 {value} kg，晃动中。</translation>
    </message>
    <message>
        <source>The scale is overloaded.</source>
        <translation>电子秤超载。</translation>
    </message>
    <message>
        <source>The scale is empty.</source>
        <translation>秤上没有物品。</translation>
    </message>
    <message>
        <source>Label printer ({language}, network {address})</source>
        <translation>标签打印机（{language}，网络 {address}）</translation>
    </message>
    <message>
        <source>Paper out</source>
        <translation>缺纸</translation>
    </message>
    <message>
        <source>Head open</source>
        <translation>打印头打开</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Open as image</source>
        <translation>以图片打开</translation>
    </message>
    <message>
        <source>Printed labels (double-click to open):</source>
        <translation>已打印的标签（双击打开）：</translation>
    </message>
    <message>
        <source>Label {n}: {language}, {size} bytes</source>
        <translation>标签 {n}：{language}，{size} 字节</translation>
    </message>
    <message>
        <source>The printer printed label {n}.</source>
        <translation>打印机已打印标签 {n}。</translation>
    </message>
    <message>
        <source>Nothing printed yet. Print a test label from the device screen.</source>
        <translation>还没有打印任何标签。请在设备页面打印一张测试标签。</translation>
    </message>
    <message>
        <source>Drawing label {n}…</source>
        <translation>正在生成标签 {n} 的图像…</translation>
    </message>
    <message>
        <source>Printed label {n}</source>
        <translation>已打印的标签 {n}</translation>
    </message>
    <message>
        <source>Label {n} opened.</source>
        <translation>已打开标签 {n}。</translation>
    </message>
</context>
<context>
    <name>FirstAdminDialog</name>
    <message>
        <source>Packdesk - first start</source>
        <translation>Packdesk - 首次启动</translation>
    </message>
    <message>
        <source>This database has no users yet. Create the administrator account: choose a user name and a password of at least 8 characters. Keep it safe; there is no default password.</source>
        <translation>此数据库还没有用户。请创建管理员账号：设置用户名和至少 8 个字符的密码。请妥善保管；系统没有默认密码。</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>Create administrator</source>
        <translation>创建管理员</translation>
    </message>
    <message>
        <source>The two passwords are not the same. Type them again.</source>
        <translation>两次输入的密码不一致，请重新输入。</translation>
    </message>
</context>
<context>
    <name>HoldReasons</name>
    <message>
        <source>Address incomplete</source>
        <translation>地址不完整</translation>
    </message>
    <message>
        <source>Phone number not valid</source>
        <translation>电话号码无效</translation>
    </message>
    <message>
        <source>Postal code of the wrong form</source>
        <translation>邮编格式错误</translation>
    </message>
    <message>
        <source>Unknown SKU</source>
        <translation>未知 SKU</translation>
    </message>
    <message>
        <source>No SKU</source>
        <translation>没有 SKU</translation>
    </message>
    <message>
        <source>Partly fulfilled in the channel</source>
        <translation>渠道中已部分发货</translation>
    </message>
    <message>
        <source>Zero or negative quantity</source>
        <translation>数量为零或负数</translation>
    </message>
    <message>
        <source>Unusually large quantity</source>
        <translation>数量异常偏大</translation>
    </message>
    <message>
        <source>Suspected duplicate</source>
        <translation>疑似重复订单</translation>
    </message>
    <message>
        <source>Cancelled in the channel</source>
        <translation>渠道已取消</translation>
    </message>
    <message>
        <source>Not paid</source>
        <translation>未付款</translation>
    </message>
    <message>
        <source>Refunded in the channel</source>
        <translation>渠道已退款</translation>
    </message>
    <message>
        <source>Address a carrier refuses</source>
        <translation>快递拒收的地址</translation>
    </message>
    <message>
        <source>Not enough stock</source>
        <translation>库存不足</translation>
    </message>
    <message>
        <source>Held by a reviewer</source>
        <translation>审单员挂起</translation>
    </message>
    <message>
        <source>Address part too long</source>
        <translation>地址栏内容过长</translation>
    </message>
    <message>
        <source>Cancelled in the channel: stop and put back</source>
        <translation>渠道已取消：停止并放回</translation>
    </message>
</context>
<context>
    <name>ImportField</name>
    <message>
        <source>Order id</source>
        <translation>订单号</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Items in one column (SKU*qty; ...)</source>
        <translation>商品在同一列（SKU*数量; ...）</translation>
    </message>
    <message>
        <source>Item name</source>
        <translation>商品名称</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Item line id</source>
        <translation>商品行号</translation>
    </message>
    <message>
        <source>Needs shipping (yes/no)</source>
        <translation>需要发货（是/否）</translation>
    </message>
    <message>
        <source>Order date</source>
        <translation>下单日期</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>币种</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <source>Shipping method</source>
        <translation>配送方式</translation>
    </message>
    <message>
        <source>Order total</source>
        <translation>订单金额</translation>
    </message>
    <message>
        <source>Order or payment status</source>
        <translation>订单或付款状态</translation>
    </message>
    <message>
        <source>Cancelled (yes/no or a date)</source>
        <translation>已取消（是/否或日期）</translation>
    </message>
    <message>
        <source>Recipient name</source>
        <translation>收件人姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>公司</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>国家</translation>
    </message>
    <message>
        <source>Province / state</source>
        <translation>省 / 州</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>Street address</source>
        <translation>详细地址</translation>
    </message>
    <message>
        <source>Address line 2</source>
        <translation>地址第 2 行</translation>
    </message>
    <message>
        <source>Postal code</source>
        <translation>邮编</translation>
    </message>
    <message>
        <source>Whole address in one column</source>
        <translation>完整地址在同一列</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>注意</translation>
    </message>
</context>
<context>
    <name>ImportProblem</name>
    <message>
        <source>The order id is empty; this row was left out.</source>
        <extracomment>The importers' reasons (app/importers/records.py) and the mapping editor's field names (app/importers/generic.py), here so Qt's translation tools find them; a test keeps them equal.</extracomment>
        <translation>订单号为空；此行未导入。</translation>
    </message>
    <message>
        <source>Order {order} has no item lines; it was left out.</source>
        <translation>订单 {order} 没有商品行；未导入。</translation>
    </message>
    <message>
        <source>The item has no SKU; order {order} was left out.</source>
        <translation>商品没有 SKU；订单 {order} 未导入。</translation>
    </message>
    <message>
        <source>The quantity {value!r} is not a whole number; order {order} was left out.</source>
        <translation>数量 {value!r} 不是整数；订单 {order} 未导入。</translation>
    </message>
    <message>
        <source>The quantity is empty; order {order} was left out.</source>
        <translation>数量为空；订单 {order} 未导入。</translation>
    </message>
    <message>
        <source>The order date {value!r} was not understood; the time of the import is used instead.</source>
        <translation>无法识别下单日期 {value!r}；改用导入时间。</translation>
    </message>
    <message>
        <source>The amount {value!r} is not a number; 0 is used instead.</source>
        <translation>金额 {value!r} 不是数字；按 0 处理。</translation>
    </message>
    <message>
        <source>Order {order} is already fulfilled in the channel; it was not imported.</source>
        <translation>订单 {order} 在渠道中已发货；未导入。</translation>
    </message>
    <message>
        <source>Order {order} was cancelled in the channel before it was fulfilled; it was not imported.</source>
        <translation>订单 {order} 在发货前已在渠道中取消；未导入。</translation>
    </message>
    <message>
        <source>Order {order} was cancelled in the channel; it is cancelled here too (our number {number}) and its reserved stock is given back.</source>
        <translation>订单 {order} 已在渠道中取消；这里也已取消（我们的单号 {number}），预留的库存已退回。</translation>
    </message>
    <message>
        <source>Order {order} was cancelled in the channel while it is {status} here (our number {number}): it is on hold now. Stop and put the items back, then cancel it.</source>
        <translation>订单 {order} 已被渠道取消，而这里的状态是{status}（我们的单号 {number}）：现已挂起。请停止作业，把商品放回原处，然后取消订单。</translation>
    </message>
    <message>
        <source>Order {order} was refunded or voided in the channel before it was fulfilled; it was not imported.</source>
        <translation>订单 {order} 在发货前已在渠道中退款或作废；未导入。</translation>
    </message>
    <message>
        <source>This item of order {order} is already fulfilled in the channel; it was left out.</source>
        <translation>订单 {order} 的这件商品在渠道中已发货；该商品未导入。</translation>
    </message>
    <message>
        <source>This item of order {order} was cancelled or refunded in the channel; it was left out.</source>
        <translation>订单 {order} 的这件商品已在平台取消或退款，未导入。</translation>
    </message>
    <message>
        <source>The items file of this Taobao order list ({file}) was not found next to it, so order {order} has its items from the titles, without SKUs: put ExportOrderDetailList beside the list and import again, or add the SKUs in Review.</source>
        <translation>在淘宝订单报表（{file}）旁边没有找到宝贝报表，因此订单 {order} 的商品按宝贝标题读取，没有商家编码：请把 ExportOrderDetailList 放在订单报表旁边再导入一次，或在审单中补上 SKU。</translation>
    </message>
    <message>
        <source>No item of order {order} needs shipping (gift cards, digital goods); it was not imported.</source>
        <translation>订单 {order} 没有需要发货的商品（礼品卡、虚拟商品）；未导入。</translation>
    </message>
    <message>
        <source>Order {order} appeared already at row {first}; an order's rows must be together. These rows were left out: sort the file by order and import it again.</source>
        <translation>订单 {order} 已在第 {first} 行出现过；同一订单的行必须相邻。这些行未导入：请按订单排序文件后重新导入。</translation>
    </message>
    <message>
        <source>The items text {value!r} was not understood (write it like SKU-1*2; SKU-2*1); order {order} was left out.</source>
        <translation>无法识别商品文本 {value!r}（格式如 SKU-1*2; SKU-2*1）；订单 {order} 未导入。</translation>
    </message>
    <message>
        <source>The {what} is longer than {limit} characters; order {order} was left out.</source>
        <translation>{what}超过 {limit} 个字符；订单 {order} 未导入。</translation>
    </message>
    <message>
        <source>Order {order} is in the file twice (first at row {first}); left out.</source>
        <translation>订单 {order} 在文件中出现两次（首次在第 {first} 行）；未导入。</translation>
    </message>
    <message>
        <source>This row is not valid CSV ({reason}); the rows from here on were not read.</source>
        <translation>此行不是有效的 CSV（{reason}）；从此行起的内容未读取。</translation>
    </message>
    <message>
        <source>Order {order} changed in the channel, but here it is already {status} (our number {number}); it was not updated. Check it by hand.</source>
        <translation>订单 {order} 在渠道中有变更，但本系统中当前状态为 {status}（本系统单号 {number}）；未更新。请人工核对。</translation>
    </message>
    <message>
        <source>Order {order} could not be saved ({reason}); it was left out. Import the file again.</source>
        <translation>订单 {order} 无法保存（{reason}）；未导入。请重新导入该文件。</translation>
    </message>
    <message>
        <source>Entry {position} of the file is not an order (it is {found}); it was left out.</source>
        <translation>文件中的第 {position} 项不是订单（而是 {found}），未导入。</translation>
    </message>
    <message>
        <source>Order {position} of the file has no number and no id; it was left out.</source>
        <translation>文件中的第 {position} 个订单既没有编号也没有 ID，未导入。</translation>
    </message>
    <message>
        <source>This item of order {order} was refunded in the channel (nothing left to ship); it was left out.</source>
        <translation>订单 {order} 的这件商品已在渠道退款（没有需要发货的数量），未导入。</translation>
    </message>
    <message>
        <source>Order {order} is in the file again (first as order {first}: pages downloaded while orders came in overlap); the first copy was read.</source>
        <translation>订单 {order} 在文件中重复出现（第一次是第 {first} 个订单：下载各页期间有新订单进来，页与页有重叠），已按第一次出现的内容读取。</translation>
    </message>
</context>
<context>
    <name>ImportScreen</name>
    <message>
        <source>Left out</source>
        <translation>未导入</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>注意</translation>
    </message>
    <message>
        <source>Not updated</source>
        <translation>未更新</translation>
    </message>
    <message>
        <source>Import orders</source>
        <extracomment>emitted when an import's result is shown (tests and the screenshot tool wait for it) emitted when the file check (format, encoding, first rows) is on screen, or its error</extracomment>
        <translation>导入订单</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Find out from the file</source>
        <translation>自动识别</translation>
    </message>
    <message>
        <source>Taobao / Tmall (千牛)</source>
        <translation>淘宝 / 天猫（千牛）</translation>
    </message>
    <message>
        <source>JD (京东)</source>
        <translation>京东</translation>
    </message>
    <message>
        <source>Pinduoduo (拼多多)</source>
        <translation>拼多多</translation>
    </message>
    <message>
        <source>Douyin (抖店)</source>
        <translation>抖店（抖音）</translation>
    </message>
    <message>
        <source>CSV or Excel with chosen columns</source>
        <translation>自定义列的 CSV 或 Excel</translation>
    </message>
    <message>
        <source>Detect</source>
        <translation>自动检测</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Column profile</source>
        <translation>列模板</translation>
    </message>
    <message>
        <source>Sales channel</source>
        <translation>销售渠道</translation>
    </message>
    <message>
        <source>Name of the column profile</source>
        <translation>列模板名称</translation>
    </message>
    <message>
        <source>Save columns as profile</source>
        <translation>将列保存为模板</translation>
    </message>
    <message>
        <source>The first rows of the file</source>
        <translation>文件前几行</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Cancel import</source>
        <translation>取消导入</translation>
    </message>
    <message>
        <source>(columns from the header row)</source>
        <translation>按表头识别列</translation>
    </message>
    <message>
        <source>Choose the export file</source>
        <translation>选择导出文件</translation>
    </message>
    <message>
        <source>Choose the export file (.csv, .xlsx or .json)</source>
        <extracomment>counts file checks: the answer to an older one (another file, encoding) is dropped</extracomment>
        <translation>选择导出文件（.csv、.xlsx 或 .json）</translation>
    </message>
    <message>
        <source>WooCommerce (WebToffee export)</source>
        <translation>WooCommerce（WebToffee 导出）</translation>
    </message>
    <message>
        <source>WooCommerce (Advanced Order Export)</source>
        <translation>WooCommerce（Advanced Order Export 导出）</translation>
    </message>
    <message>
        <source>WooCommerce (REST API, JSON)</source>
        <translation>WooCommerce（REST API，JSON）</translation>
    </message>
    <message>
        <source>Order exports (*.csv *.txt *.xlsx *.xlsm *.json);;All files (*)</source>
        <translation>订单导出文件 (*.csv *.txt *.xlsx *.xlsm *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Checking the file…</source>
        <translation>正在检查文件…</translation>
    </message>
    <message>
        <source>The first orders of the file</source>
        <translation>文件中的前几个订单</translation>
    </message>
    <message>
        <source>a Shopify orders export</source>
        <translation>Shopify 订单导出文件</translation>
    </message>
    <message>
        <source>a WooCommerce orders export</source>
        <translation>WooCommerce 订单导出文件</translation>
    </message>
    <message>
        <source>a WooCommerce export of Advanced Order Export (one row per product)</source>
        <translation>WooCommerce 的 Advanced Order Export 导出（每个商品一行）</translation>
    </message>
    <message>
        <source>a WooCommerce REST API order list (JSON)</source>
        <translation>WooCommerce REST API 订单列表（JSON）</translation>
    </message>
    <message>
        <source>a file with its own columns</source>
        <translation>自定义列的文件</translation>
    </message>
    <message>
        <source>a Taobao / Tmall order list (its items file is read beside it)</source>
        <translation>淘宝 / 天猫订单报表（同一文件夹中的宝贝报表一并读取）</translation>
    </message>
    <message>
        <source>the items file of a Taobao export (its order list is read beside it)</source>
        <translation>淘宝导出的宝贝报表（同一文件夹中的订单报表一并读取）</translation>
    </message>
    <message>
        <source>a JD (京东) orders export</source>
        <translation>京东订单导出文件</translation>
    </message>
    <message>
        <source>a Pinduoduo (拼多多) orders export</source>
        <translation>拼多多订单导出文件</translation>
    </message>
    <message>
        <source>a Douyin (抖店) orders export</source>
        <translation>抖店订单导出文件</translation>
    </message>
    <message>
        <source>This looks like {what} (Excel workbook).</source>
        <translation>文件类型：{what}（Excel 工作簿）。</translation>
    </message>
    <message>
        <source>marked in the file</source>
        <translation>文件中已标明</translation>
    </message>
    <message>
        <source>detected</source>
        <translation>自动检测</translation>
    </message>
    <message>
        <source>chosen</source>
        <translation>手动选择</translation>
    </message>
    <message>
        <source>This looks like {what}; text encoding {encoding} ({how}).</source>
        <translation>文件类型：{what}；文本编码 {encoding}（{how}）。</translation>
    </message>
    <message>
        <source>The columns were saved as the profile {name}.</source>
        <translation>列设置已保存为模板 {name}。</translation>
    </message>
    <message>
        <source>Importing {file}…</source>
        <translation>正在导入 {file}…</translation>
    </message>
    <message>
        <source>Cancelling… the orders saved so far stay; the rest is not imported.</source>
        <translation>正在取消…已保存的订单保留，其余不再导入。</translation>
    </message>
    <message>
        <source>Order {row} of {total}: {imported} imported, {updated} updated, {held} held, {rejected} left out.</source>
        <translation>第 {row} 个订单，共 {total} 个：已导入 {imported}，已更新 {updated}，已挂起 {held}，未导入 {rejected}。</translation>
    </message>
    <message>
        <source>Row {row} of about {total}: {imported} imported, {updated} updated, {held} held, {rejected} left out.</source>
        <translation>第 {row} 行，约 {total} 行：已导入 {imported}，已更新 {updated}，已挂起 {held}，未导入 {rejected}。</translation>
    </message>
    <message>
        <source>{imported} imported ({released} released, {held} held), {updated} updated, {unchanged} unchanged, {rejected} left out, {skipped} skipped.</source>
        <translation>已导入 {imported}（放行 {released}，挂起 {held}），已更新 {updated}，无变化 {unchanged}，未导入 {rejected}，已跳过 {skipped}。</translation>
    </message>
    <message>
        <source>Import cancelled. The orders saved before you cancelled stay; importing the same file again adds the rest without doubles.</source>
        <translation>导入已取消。取消前已保存的订单保留；再次导入同一文件会补齐其余订单，不会重复。</translation>
    </message>
    <message>
        <source>Held orders wait in Review with their reasons: {n}.</source>
        <translation>挂起的订单在“审单”中等待处理（附原因）：{n} 个。</translation>
    </message>
    <message>
        <source>The sales channel {channel} was created.</source>
        <translation>已创建销售渠道 {channel}。</translation>
    </message>
    <message>
        <source>1 changed order was not updated: it is being worked on.</source>
        <translation>1 个有变更的订单未更新：它正在作业中。</translation>
    </message>
    <message>
        <source>{n} changed orders were not updated: they are being worked on.</source>
        <translation>{n} 个有变更的订单未更新：它们正在作业中。</translation>
    </message>
    <message>
        <source>{file}: 1 order read into channel {channel}.</source>
        <translation>{file}：已读取 1 个订单到渠道 {channel}。</translation>
    </message>
    <message>
        <source>{file}: {rows} orders read into channel {channel}.</source>
        <translation>{file}：已读取 {rows} 个订单到渠道 {channel}。</translation>
    </message>
    <message>
        <source>{file}: 1 row read into channel {channel}.</source>
        <translation>{file}：已读取 1 行到渠道 {channel}。</translation>
    </message>
    <message>
        <source>{file}: {rows} rows read into channel {channel}.</source>
        <translation>{file}：已读取 {rows} 行到渠道 {channel}。</translation>
    </message>
    <message>
        <source>…and 1 more problem (see the import log).</source>
        <translation>…另有 1 个问题（见导入日志）。</translation>
    </message>
    <message>
        <source>…and {n} more problems (see the import log).</source>
        <translation>…另有 {n} 个问题（见导入日志）。</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Order no.</source>
        <translation>订单序号</translation>
    </message>
    <message>
        <source>What</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>LayoutScreen</name>
    <message>
        <source>Line {n}</source>
        <translation>第 {n} 行</translation>
    </message>
    <message>
        <source>Row {n}</source>
        <translation>第 {n} 行</translation>
    </message>
    <message>
        <source>Layout</source>
        <extracomment>the layout was drawn (tests and screenshots wait for it) a route was drawn (its RouteDrawing) or refused (None) a layout file was loaded or refused (its LayoutLoadReport), or could not be read (None)</extracomment>
        <translation>仓库布局</translation>
    </message>
    <message>
        <source>Colour by zone</source>
        <translation>按库区着色</translation>
    </message>
    <message>
        <source>Colour by fill (on hand vs. reserved)</source>
        <translation>按库存着色（在库与已预留）</translation>
    </message>
    <message>
        <source>Fit to view</source>
        <translation>适合窗口</translation>
    </message>
    <message>
        <source>Load layout file…</source>
        <translation>载入布局文件…</translation>
    </message>
    <message>
        <source>Only an administrator or supervisor may do this</source>
        <translation>只有管理员或主管可以这样做</translation>
    </message>
    <message>
        <source>Try a route</source>
        <translation>试算路线</translation>
    </message>
    <message>
        <source>Type or scan location codes</source>
        <translation>输入或扫描库位编码</translation>
    </message>
    <message>
        <source>Route</source>
        <translation>规划路线</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Warehouse {code}: no layout yet</source>
        <translation>仓库 {code}：还没有布局</translation>
    </message>
    <message>
        <source>Load a layout file (TOML or CSV: aisles, cross aisles, depots, zones) to draw the warehouse and route picks.</source>
        <translation>请载入布局文件（TOML 或 CSV：巷道、横向通道、出发点、库区），才能画出仓库并规划拣货路线。</translation>
    </message>
    <message>
        <source>Warehouse {code}: {aisles} aisles, {crosses} cross aisles, {n} locations</source>
        <translation>仓库 {code}：{aisles} 条巷道，{crosses} 条横向通道，{n} 个库位</translation>
    </message>
    <message>
        <source>Fill</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Empty</source>
        <translation>空</translation>
    </message>
    <message>
        <source>Stock, none reserved</source>
        <translation>有库存，未预留</translation>
    </message>
    <message>
        <source>Half reserved</source>
        <translation>一半已预留</translation>
    </message>
    <message>
        <source>All reserved</source>
        <translation>全部已预留</translation>
    </message>
    <message>
        <source>Zones</source>
        <translation>库区</translation>
    </message>
    <message>
        <source>Depot {code} {name}</source>
        <translation>出发点 {code} {name}</translation>
    </message>
    <message>
        <source>Route stop (number: visiting order)</source>
        <translation>路线停靠点（数字为拣货顺序）</translation>
    </message>
    <message>
        <source>Choose the layout file</source>
        <translation>选择布局文件</translation>
    </message>
    <message>
        <source>Layout files (*.toml *.csv);;All files (*)</source>
        <translation>布局文件 (*.toml *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>{file} has {n} problems; nothing was changed. Fix them in the file and load it again.</source>
        <translation>{file} 有 {n} 个问题；没有做任何更改。请在文件中改正后重新载入。</translation>
    </message>
    <message>
        <source>Layout loaded from {file}: {aisles} aisles, {crosses} cross aisles, {depots} depots, {zones} zones; {locations} locations moved.</source>
        <translation>已从 {file} 载入布局：{aisles} 条巷道、{crosses} 条横向通道、{depots} 个出发点、{zones} 个库区；移动了 {locations} 个库位。</translation>
    </message>
    <message>
        <source>Type or scan at least one location code.</source>
        <translation>请输入或扫描至少一个库位编码。</translation>
    </message>
    <message>
        <source>Route: {m} m</source>
        <translation>路线：{m} 米</translation>
    </message>
    <message>
        <source>S-shape: {m} m</source>
        <translation>S 形路线：{m} 米</translation>
    </message>
    <message>
        <source>Largest gap: {m} m</source>
        <translation>最大间隙法：{m} 米</translation>
    </message>
    <message>
        <source>{p} % shorter than S-shape</source>
        <translation>比 S 形路线短 {p}%</translation>
    </message>
    <message>
        <source>{n} stops routed from depot {depot} and back.</source>
        <translation>已规划 {n} 个停靠点，从出发点 {depot} 出发并返回。</translation>
    </message>
</context>
<context>
    <name>LinesModel</name>
    <message>
        <source>SKU</source>
        <extracomment>line number -&gt; where a mapped line came from ("from listing 'Tee 6-pack' × 1")</extracomment>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>品名</translation>
    </message>
    <message>
        <source>Known</source>
        <translation>已建档</translation>
    </message>
    <message>
        <source>Partly shipped</source>
        <translation>渠道已部分发货</translation>
    </message>
    <message>
        <source>Channel's listing</source>
        <translation>来自平台商品</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>{qty} × {product} (from listing {listing})</source>
        <translation>{qty} × {product}（来自平台商品 {listing}）</translation>
    </message>
    <message>
        <source>Quantity checked</source>
        <translation>数量已核对</translation>
    </message>
</context>
<context>
    <name>LoadPoolDialog</name>
    <message>
        <source>Load tracking numbers</source>
        <extracomment>problems listed in a report (the rest are counted)</extracomment>
        <translation>导入运单号</translation>
    </message>
    <message>
        <source>Choose file...</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>No file chosen</source>
        <translation>未选择文件</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>快递公司</translation>
    </message>
    <message>
        <source>Numbers for</source>
        <translation>单号用于</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>A CSV, TXT or Excel file with one number per row, or ranges written start,end. Numbers with a wrong check digit or already loaded are refused with their row.</source>
        <translation>CSV、TXT 或 Excel 文件，每行一个单号，或写成“起始,结束”的号段。校验位错误或已导入过的单号会被拒绝，并标出所在行。</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>any of its services</source>
        <translation>该公司所有服务</translation>
    </message>
    <message>
        <source>Tracking numbers file</source>
        <translation>运单号文件</translation>
    </message>
    <message>
        <source>Number files (*.csv *.txt *.xlsx);;All files (*)</source>
        <translation>单号文件 (*.csv *.txt *.xlsx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Loading {file}...</source>
        <translation>正在导入 {file}…</translation>
    </message>
    <message>
        <source>{loaded} numbers loaded, {rejected} refused.</source>
        <translation>已导入 {loaded} 个单号，拒绝 {rejected} 个。</translation>
    </message>
    <message>
        <source>... and {n} more</source>
        <translation>……还有 {n} 条</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Packdesk - log in</source>
        <extracomment>a lockout: a framed box, readable from a step back, that counts down</extracomment>
        <translation>Packdesk - 登录</translation>
    </message>
    <message>
        <source>Who is working here?</source>
        <translation>请登录</translation>
    </message>
    <message>
        <source>Station {station} - {database}</source>
        <translation>工作站 {station} - {database}</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Scan your badge</source>
        <translation>请扫描工牌</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>Badge and PIN</source>
        <translation>工牌和 PIN</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>You can try to log in again now.</source>
        <translation>现在可以重新登录了。</translation>
    </message>
</context>
<context>
    <name>LogoPreview</name>
    <message>
        <source>no logo</source>
        <translation>无标志</translation>
    </message>
</context>
<context>
    <name>MailSection</name>
    <message>
        <source>Mail server (SMTP)</source>
        <translation>邮件服务器（SMTP）</translation>
    </message>
    <message>
        <source>Customers get their notices (shipped, delivered...) by e-mail through this server. Your mail provider gives these values. The password is stored in the shared database and never shown again.</source>
        <translation>顾客通过此服务器收到通知邮件（已发货、已签收……）。这些参数由您的邮件服务商提供。密码保存在共享数据库中，之后不再显示。</translation>
    </message>
    <message>
        <source>Send notices to customers</source>
        <translation>向顾客发送通知</translation>
    </message>
    <message>
        <source>Mail server</source>
        <translation>邮件服务器</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>STARTTLS (port 465: TLS from the start)</source>
        <translation>STARTTLS（端口 465：全程 TLS）</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>From address</source>
        <translation>发件地址</translation>
    </message>
    <message>
        <source>From name</source>
        <translation>发件人名称</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Packdesk</source>
        <extracomment>whether the database answered, and the offline journal's reading (OfflineReading)</extracomment>
        <translation>Packdesk</translation>
    </message>
    <message>
        <source>Station: {station}</source>
        <translation>工作站：{station}</translation>
    </message>
    <message>
        <source>User: {user} ({role})</source>
        <translation>用户：{user}（{role}）</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>Shared database</source>
        <translation>共享数据库</translation>
    </message>
    <message>
        <source>Local database</source>
        <translation>本地数据库</translation>
    </message>
    <message>
        <source>{kind}: {where} - connected</source>
        <translation>{kind}：{where} - 已连接</translation>
    </message>
    <message>
        <source>{kind}: {where} - NOT CONNECTED, retrying</source>
        <translation>{kind}：{where} - 未连接，正在重试</translation>
    </message>
</context>
<context>
    <name>MapListingDialog</name>
    <message>
        <source>Map the listing to products</source>
        <extracomment>the mapping was saved (MapResult); the dialog then closes</extracomment>
        <translation>平台商品对应到商品</translation>
    </message>
    <message>
        <source>Save mapping</source>
        <translation>保存对应</translation>
    </message>
    <message>
        <source>Match the listing by</source>
        <translation>按此匹配平台商品</translation>
    </message>
    <message>
        <source>The channel's listing</source>
        <translation>平台商品</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Quantity on this line</source>
        <translation>本行数量</translation>
    </message>
    <message>
        <source>1 held order has this listing</source>
        <translation>1 个挂起订单含此平台商品</translation>
    </message>
    <message>
        <source>{n} held orders have this listing</source>
        <translation>{n} 个挂起订单含此平台商品</translation>
    </message>
    <message>
        <source>{units} × {product}</source>
        <translation>{units} × {product}</translation>
    </message>
    <message>
        <source>This line ({qty} ×) becomes: {products}</source>
        <translation>本行（{qty} 件）将变为：{products}</translation>
    </message>
</context>
<context>
    <name>MappingDialog</name>
    <message>
        <source>Add a product mapping</source>
        <translation>新增商品对应</translation>
    </message>
    <message>
        <source>Change the mapping</source>
        <translation>修改对应</translation>
    </message>
    <message>
        <source>Every channel</source>
        <translation>所有渠道</translation>
    </message>
    <message>
        <source>As the channel writes it, e.g. TEE-6PK, 4410021 or Tee 6-pack</source>
        <translation>按平台上的写法，例如 TEE-6PK、4410021 或 T恤6件装</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Match on</source>
        <translation>匹配方式</translation>
    </message>
    <message>
        <source>Channel's listing</source>
        <translation>来自平台商品</translation>
    </message>
</context>
<context>
    <name>MappingEditor</name>
    <message>
        <source>Columns</source>
        <extracomment>the number shown beside the first row: 2 for a spreadsheet (the header is row 1), 1 for a JSON order list (orders are counted from 1)</extracomment>
        <translation>列</translation>
    </message>
    <message>
        <source>Country when none is given</source>
        <translation>未填国家时默认为</translation>
    </message>
    <message>
        <source>(not in the file)</source>
        <translation>（文件中没有）</translation>
    </message>
</context>
<context>
    <name>MappingImportDialog</name>
    <message>
        <source>Note</source>
        <translation>注意</translation>
    </message>
    <message>
        <source>Left out</source>
        <translation>未导入</translation>
    </message>
    <message>
        <source>Mappings imported from {file}</source>
        <translation>从 {file} 导入的对应</translation>
    </message>
    <message>
        <source>{added} mappings added, {updated} changed; {rechecked} held orders checked again, {released} released.</source>
        <translation>新增 {added} 条对应，修改 {updated} 条；重新审核 {rechecked} 个挂起订单，放行 {released} 个。</translation>
    </message>
    <message>
        <source>Every row was saved.</source>
        <translation>所有行均已保存。</translation>
    </message>
    <message>
        <source>1 row was left out: correct it in the file and import it again.</source>
        <translation>有 1 行未导入：请在文件中改正后重新导入。</translation>
    </message>
    <message>
        <source>{n} rows were left out: correct them in the file and import it again.</source>
        <translation>有 {n} 行未导入：请在文件中改正后重新导入。</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>What</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>Mappings</name>
    <message>
        <source>Channel SKU</source>
        <translation>平台 SKU</translation>
    </message>
    <message>
        <source>Listing or variant id</source>
        <translation>平台商品/规格 ID</translation>
    </message>
    <message>
        <source>Listing title</source>
        <translation>平台商品标题</translation>
    </message>
    <message>
        <source>Mapped; 1 order re-checked, {released} released, {held} still held.</source>
        <translation>已对应；重新审核 1 个订单，放行 {released} 个，仍挂起 {held} 个。</translation>
    </message>
    <message>
        <source>Mapped; {rechecked} orders re-checked, {released} released, {held} still held.</source>
        <translation>已对应；重新审核 {rechecked} 个订单，放行 {released} 个，仍挂起 {held} 个。</translation>
    </message>
</context>
<context>
    <name>MappingsScreen</name>
    <message>
        <source>Product mappings</source>
        <extracomment>the list answered (tests and screenshots wait for it) the table was written to a file (its path)</extracomment>
        <translation>平台商品对应</translation>
    </message>
    <message>
        <source>An imported line without a SKU, or with a SKU that is no product, is matched here: the channel's SKU, listing or variant id, or listing title stands for the products below (a 6-pack: 6 units; a kit: several products). Mapping a line in Review adds a row here; every later import uses it.</source>
        <translation>导入的订单行没有 SKU，或 SKU 不是我方商品时，按此表匹配：平台 SKU、平台商品/规格 ID 或平台商品标题对应下面的商品（6件装：6件；组合装：多个商品）。在审单中对应一行会在此新增一条，之后每次导入都会使用。</translation>
    </message>
    <message>
        <source>Filter: listing, SKU or product name</source>
        <translation>筛选：平台商品、SKU 或商品名称</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>新增…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Import CSV/XLSX…</source>
        <translation>导入 CSV/XLSX…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Save the table as a CSV or Excel file that imports back the same</source>
        <translation>将此表保存为 CSV 或 Excel 文件，可原样导入</translation>
    </message>
    <message>
        <source>A file to import has the columns channel (blank: every channel), match (sku, listing_id or title), listing, sku and units; a kit is several rows with the same listing.</source>
        <translation>导入文件的列：渠道 channel（留空：所有渠道）、匹配方式 match（sku、listing_id 或 title）、平台商品 listing、商品编码 sku（我方商品的 SKU）、数量 units；组合装写成同一平台商品的几行。</translation>
    </message>
    <message>
        <source>1 mapping</source>
        <translation>1 条对应</translation>
    </message>
    <message>
        <source>{n} mappings</source>
        <translation>{n} 条对应</translation>
    </message>
    <message>
        <source>Delete the mapping?</source>
        <translation>删除此对应？</translation>
    </message>
    <message>
        <source>Delete the mapping of “{listing}” to {products}? Lines with this listing in later imports will be held until someone maps them again.</source>
        <translation>删除“{listing}”到 {products} 的对应？之后导入含此平台商品的订单行会被挂起，直到有人重新对应。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>The mapping of “{listing}” was deleted.</source>
        <translation>“{listing}”的对应已删除。</translation>
    </message>
    <message>
        <source>Choose the mappings file</source>
        <translation>选择对应表文件</translation>
    </message>
    <message>
        <source>Mapping tables (*.csv *.txt *.xlsx *.xlsm);;All files (*)</source>
        <translation>对应表 (*.csv *.txt *.xlsx *.xlsm);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Importing {file}…</source>
        <translation>正在导入 {file}…</translation>
    </message>
    <message>
        <source>Save the mappings as</source>
        <translation>将对应表保存为</translation>
    </message>
    <message>
        <source>Excel (*.xlsx);;CSV (*.csv)</source>
        <translation>Excel (*.xlsx);;CSV (*.csv)</translation>
    </message>
    <message>
        <source>{n} mappings written to {file}.</source>
        <translation>已将 {n} 条对应写入 {file}。</translation>
    </message>
    <message>
        <source>{file} could not be written: {reason}</source>
        <translation>无法写入 {file}：{reason}</translation>
    </message>
</context>
<context>
    <name>MappingsTableModel</name>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Match on</source>
        <translation>匹配方式</translation>
    </message>
    <message>
        <source>Channel's listing</source>
        <translation>来自平台商品</translation>
    </message>
    <message>
        <source>Products × units</source>
        <translation>商品 × 数量</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
    <message>
        <source>Every channel</source>
        <translation>所有渠道</translation>
    </message>
</context>
<context>
    <name>MaskingSection</name>
    <message>
        <source>Personal data on labels</source>
        <translation>面单上的个人信息</translation>
    </message>
    <message>
        <source>How each sales channel's recipients are shown on screens, labels and packing slips. The stored data and the files for carriers always keep the real values.</source>
        <translation>各销售渠道的收件人在界面、面单和装箱单上如何显示。存储的数据和给快递公司的文件始终保留真实信息。</translation>
    </message>
    <message>
        <source>Hide name, phone and room (e-waybill rule)</source>
        <translation>隐藏姓名、电话和门牌（隐私面单规则）</translation>
    </message>
    <message>
        <source>Show the name; hide phone and room</source>
        <translation>显示姓名；隐藏电话和门牌</translation>
    </message>
    <message>
        <source>Show everything (business customers)</source>
        <translation>全部显示（企业客户）</translation>
    </message>
    <message>
        <source>No sales channel yet: import orders first.</source>
        <translation>还没有销售渠道：请先导入订单。</translation>
    </message>
</context>
<context>
    <name>MergeSuggestionsDialog</name>
    <message>
        <source>Orders that can be merged</source>
        <translation>可合并的订单</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Merge these orders</source>
        <translation>合并这些订单</translation>
    </message>
    <message>
        <source>No orders can be merged right now.</source>
        <translation>当前没有可合并的订单。</translation>
    </message>
</context>
<context>
    <name>MismatchPanel</name>
    <message>
        <source>too heavy</source>
        <translation>过重</translation>
    </message>
    <message>
        <source>too light</source>
        <translation>过轻</translation>
    </message>
    <message>
        <source>Weight outside the expectation ({word}): no label printed</source>
        <translation>重量超出预期（{word}）：未打印面单</translation>
    </message>
    <message>
        <source>Expected {low} to {high}</source>
        <translation>应为 {low} 至 {high}</translation>
    </message>
    <message>
        <source>Scale: {actual}</source>
        <translation>电子秤：{actual}</translation>
    </message>
    <message>
        <source>Supervisor: scan your badge to accept, or repack and weigh again.</source>
        <translation>主管：扫描工牌以接受，或重新打包后再称重。</translation>
    </message>
</context>
<context>
    <name>NoticeTemplates</name>
    <message>
        <source>the customer's name</source>
        <translation>顾客姓名</translation>
    </message>
    <message>
        <source>our order number</source>
        <translation>我方订单号</translation>
    </message>
    <message>
        <source>the shop's order number</source>
        <translation>平台订单号</translation>
    </message>
    <message>
        <source>the carrier's name</source>
        <translation>快递公司名称</translation>
    </message>
    <message>
        <source>the tracking number(s)</source>
        <translation>运单号</translation>
    </message>
    <message>
        <source>the link to the parcel</source>
        <translation>包裹查询链接</translation>
    </message>
    <message>
        <source>the shop's name</source>
        <translation>店铺名称</translation>
    </message>
</context>
<context>
    <name>OfflineStatus</name>
    <message>
        <source>The shared database answers again. The actions done offline are being sent, in the order they were done; new work can be claimed once they are.</source>
        <extracomment>the conflicts label was clicked by someone who may resolve them</extracomment>
        <translation>共享数据库已恢复响应。离线时完成的操作正按顺序发送；发送完成后即可领取新任务。</translation>
    </message>
    <message>
        <source>Offline since {time}, 1 action waiting</source>
        <translation>自 {time} 起离线，1 个操作待发送</translation>
    </message>
    <message>
        <source>Offline since {time}, {n} actions waiting</source>
        <translation>自 {time} 起离线，{n} 个操作待发送</translation>
    </message>
    <message>
        <source>Back online: sending 1 action...</source>
        <translation>已恢复连接：正在发送 1 个操作…</translation>
    </message>
    <message>
        <source>Back online: sending {n} actions...</source>
        <translation>已恢复连接：正在发送 {n} 个操作…</translation>
    </message>
    <message>
        <source>The shared database cannot be reached; this station works from its own copy.
Still works: packing the orders already on this station (scans, weights, labels from the tracking numbers kept here).
Waits until the database is back: claiming new work, closing handovers, anything on another station's orders.
Every action is kept on this PC and sent, in order, when the database is back.</source>
        <translation>无法连接共享数据库；本工作站正使用本机副本工作。
仍可进行：打包本工作站已有的订单（扫描、称重、用本机保留的运单号打印面单）。
需等数据库恢复：领取新任务、关闭交接单、处理其他工作站的订单。
每个操作都保存在本机，数据库恢复后按顺序发送。</translation>
    </message>
    <message>
        <source>Last error: {error}</source>
        <translation>最近的错误：{error}</translation>
    </message>
    <message>
        <source>1 conflict needs a supervisor</source>
        <translation>1 个冲突需要主管处理</translation>
    </message>
    <message>
        <source>{n} conflicts need a supervisor</source>
        <translation>{n} 个冲突需要主管处理</translation>
    </message>
    <message>
        <source>Actions done offline that the shared database refused. Click to see them and resolve each one.</source>
        <translation>离线时完成、但被共享数据库拒绝的操作。点击查看并逐一处理。</translation>
    </message>
    <message>
        <source>Actions done offline that the shared database refused. A supervisor sees them on the Offline conflicts screen; nothing was overwritten.</source>
        <translation>离线时完成、但被共享数据库拒绝的操作。主管可在“离线冲突”界面查看；没有任何数据被覆盖。</translation>
    </message>
</context>
<context>
    <name>OrderActionsBar</name>
    <message>
        <source>Release</source>
        <extracomment>ids of the orders an action touched (the screen reloads and tells the bus) emitted when an action's results are shown (tests wait for it)</extracomment>
        <translation>放行</translation>
    </message>
    <message>
        <source>Hold…</source>
        <translation>挂起…</translation>
    </message>
    <message>
        <source>Cancel…</source>
        <translation>取消…</translation>
    </message>
    <message>
        <source>Allocate</source>
        <translation>分配库存</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Merge the selected orders of one customer into the oldest of them.</source>
        <translation>把同一客户的选中订单合并到其中最早的订单。</translation>
    </message>
    <message>
        <source>Split…</source>
        <translation>拆分…</translation>
    </message>
    <message>
        <source>Mergeable orders…</source>
        <translation>可合并订单…</translation>
    </message>
    <message>
        <source>Selected orders:</source>
        <translation>选中的订单：</translation>
    </message>
    <message>
        <source>Your role may not do this. Ask a supervisor.</source>
        <translation>您的角色无权执行此操作。请联系主管。</translation>
    </message>
    <message>
        <source>Hold orders</source>
        <translation>挂起订单</translation>
    </message>
    <message>
        <source>Why are these orders held? The reviewer reads this.</source>
        <translation>为什么挂起这些订单？审单人员会看到此原因。</translation>
    </message>
    <message>
        <source>Cancel orders</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <source>Cancel this order? Its reserved stock is given back.</source>
        <translation>确定取消此订单？已预占的库存将释放。</translation>
    </message>
    <message>
        <source>Cancel {count} orders? Reserved stock is given back.</source>
        <translation>确定取消 {count} 个订单？已预占的库存将释放。</translation>
    </message>
    <message>
        <source>Working… Orders: {count}.</source>
        <translation>处理中…订单数：{count}。</translation>
    </message>
    <message>
        <source>All done. Orders: {count}.</source>
        <translation>全部完成。订单数：{count}。</translation>
    </message>
    <message>
        <source>Nothing done. Orders refused: {count}.</source>
        <translation>未执行任何操作。被拒订单数：{count}。</translation>
    </message>
    <message>
        <source>Orders done: {done}. Refused: {refused}, see why below.</source>
        <translation>已完成订单：{done}。被拒：{refused}，原因见下方。</translation>
    </message>
</context>
<context>
    <name>OrderDetailDialog</name>
    <message>
        <source>Show personal data</source>
        <translation>显示个人信息</translation>
    </message>
    <message>
        <source>Shows the full name, phone and address. This is recorded in the audit log.</source>
        <translation>显示完整的姓名、电话和地址。此操作会记录在审计日志中。</translation>
    </message>
    <message>
        <source>Order {number}</source>
        <translation>订单 {number}</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Channel order id</source>
        <translation>渠道订单号</translation>
    </message>
    <message>
        <source>Placed</source>
        <translation>下单时间</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>付款</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>注意</translation>
    </message>
    <message>
        <source>Ship to</source>
        <translation>收货地址</translation>
    </message>
    <message>
        <source>No address</source>
        <translation>无地址</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <source>Postal code</source>
        <translation>邮编</translation>
    </message>
    <message>
        <source>Personal data is partly hidden.</source>
        <translation>个人信息已部分隐藏。</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>明细</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Backordered</source>
        <translation>缺货待发</translation>
    </message>
    <message>
        <source>Reserved stock</source>
        <translation>已预占库存</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>效期</translation>
    </message>
    <message>
        <source>Hold reasons</source>
        <translation>挂起原因</translation>
    </message>
    <message>
        <source>Held by</source>
        <translation>挂起人</translation>
    </message>
    <message>
        <source>Resolved by</source>
        <translation>处理人</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Tracking history</source>
        <translation>物流轨迹</translation>
    </message>
    <message>
        <source>No tracking event yet: none imported or fetched.</source>
        <translation>暂无物流轨迹：尚未导入或获取。</translation>
    </message>
    <message>
        <source>Parcel</source>
        <translation>包裹</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Carrier's words</source>
        <translation>快递原文</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地点</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>挂起时间</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>处理时间</translation>
    </message>
    <message>
        <source>Status history</source>
        <translation>状态历史</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>From</source>
        <translation>原状态</translation>
    </message>
    <message>
        <source>To</source>
        <translation>新状态</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
</context>
<context>
    <name>OrderEditor</name>
    <message>
        <source>Map the line to a product… (Ctrl+M)</source>
        <translation>将此行对应到商品…（Ctrl+M）</translation>
    </message>
    <message>
        <source>Map to product…</source>
        <translation>对应到商品…</translation>
    </message>
    <message>
        <source>Ctrl+M: map the line without a known product</source>
        <translation>Ctrl+M：为没有对应商品的行指定商品</translation>
    </message>
    <message>
        <source>Recipient</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>公司</translation>
    </message>
    <message>
        <source>Country (two letters)</source>
        <translation>国家（两位字母代码）</translation>
    </message>
    <message>
        <source>Province / state</source>
        <translation>省 / 州</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>Street address</source>
        <translation>详细地址</translation>
    </message>
    <message>
        <source>Address line 2</source>
        <translation>地址第 2 行</translation>
    </message>
    <message>
        <source>Postal code</source>
        <translation>邮编</translation>
    </message>
    <message>
        <source>Add line</source>
        <translation>添加行</translation>
    </message>
    <message>
        <source>Remove line</source>
        <translation>删除行</translation>
    </message>
    <message>
        <source>Save and check again</source>
        <translation>保存并重新审核</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>明细</translation>
    </message>
    <message>
        <source>Choose a held order</source>
        <translation>请选择一个挂起的订单</translation>
    </message>
    <message>
        <source>Order {number} ({channel} {external})</source>
        <translation>订单 {number}（{channel} {external}）</translation>
    </message>
    <message>
        <source>{name}: {reason}</source>
        <translation>{name}：{reason}</translation>
    </message>
</context>
<context>
    <name>OrderPage</name>
    <message>
        <source>Order {number}</source>
        <translation>订单 {number}</translation>
    </message>
    <message>
        <source>{done} of {total} units</source>
        <translation>{done} / {total} 件</translation>
    </message>
    <message>
        <source>GIFT: no prices</source>
        <translation>礼品：不显示价格</translation>
    </message>
    <message>
        <source>Cash on delivery {amount} {currency}</source>
        <translation>货到付款 {amount} {currency}</translation>
    </message>
    <message>
        <source>PICKUP: no carrier label</source>
        <translation>自提：不打快递面单</translation>
    </message>
    <message>
        <source>(scanned)</source>
        <translation>（已扫描）</translation>
    </message>
    <message>
        <source>Carton: {name} {how}</source>
        <translation>箱子：{name} {how}</translation>
    </message>
    <message>
        <source>Suggested carton: {name}. Scan the carton you use.</source>
        <translation>建议箱子：{name}。请扫描实际所用箱子。</translation>
    </message>
    <message>
        <source>Carton: scan the carton you use</source>
        <translation>箱子：请扫描所用箱子的条码</translation>
    </message>
</context>
<context>
    <name>OrdersScreen</name>
    <message>
        <source>Orders</source>
        <extracomment>every query started so far has answered (the list, its count and the channels)</extracomment>
        <translation>订单</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>全部渠道</translation>
    </message>
    <message>
        <source>All hold reasons</source>
        <translation>全部挂起原因</translation>
    </message>
    <message>
        <source>Shipped and pickup</source>
        <translation>发货和自提</translation>
    </message>
    <message>
        <source>Pickup orders only</source>
        <translation>仅自提订单</translation>
    </message>
    <message>
        <source>Shipped orders only</source>
        <translation>仅发货订单</translation>
    </message>
    <message>
        <source>Search: order number, channel order id, tracking number, name or phone</source>
        <translation>搜索：订单号、渠道订单号、快递单号、客户姓名或电话</translation>
    </message>
    <message>
        <source>Search: order number, channel order id or tracking number</source>
        <translation>搜索：订单号、渠道订单号或快递单号</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>1 order</source>
        <translation>1 个订单</translation>
    </message>
    <message>
        <source>{count} orders</source>
        <translation>{count} 个订单</translation>
    </message>
</context>
<context>
    <name>OrdersTableModel</name>
    <message>
        <source>Order</source>
        <extracomment>a row someone must stop work on (cancelled in the channel while being picked or packed) True while a page is being fetched off the UI thread a page (the first after ``set_query``, or one more) was put in the model counts ``set_query`` calls: a page fetched for an older query is dropped</extracomment>
        <translation>订单</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Placed</source>
        <translation>下单时间</translation>
    </message>
    <message>
        <source>Hold reasons</source>
        <translation>挂起原因</translation>
    </message>
    <message>
        <source>{status} · Pickup</source>
        <translation>{status} · 自提</translation>
    </message>
</context>
<context>
    <name>Outbox</name>
    <message>
        <source>sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>待发送</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>已签收</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>next try {time}</source>
        <translation>下次重试 {time}</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Notice</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>To</source>
        <translation>收件人</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>OutboxScreen</name>
    <message>
        <source>Outbox</source>
        <translation>发件箱</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>Mail server</source>
        <translation>邮件服务器</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重发</translation>
    </message>
    <message>
        <source>Cancel notice</source>
        <translation>取消通知</translation>
    </message>
    <message>
        <source>Send due now</source>
        <translation>立即发送到期通知</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Choose a notice to see the message.</source>
        <translation>选择一条通知查看邮件内容。</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>{name} ({n})</source>
        <translation>{name}（{n}）</translation>
    </message>
    <message>
        <source>To: {to}</source>
        <translation>收件人：{to}</translation>
    </message>
    <message>
        <source>Subject: {subject}</source>
        <translation>标题：{subject}</translation>
    </message>
    <message>
        <source>Notice: {kind}, {status}</source>
        <translation>通知：{kind}，{status}</translation>
    </message>
    <message>
        <source>Reason: {reason}</source>
        <translation>原因：{reason}</translation>
    </message>
    <message>
        <source>The notice of order {order} will be sent again.</source>
        <translation>订单 {order} 的通知将重新发送。</translation>
    </message>
    <message>
        <source>The notice of order {order} will not be sent.</source>
        <translation>订单 {order} 的通知将不再发送。</translation>
    </message>
    <message>
        <source>Sent {sent}, failed {failed}, to retry {retrying}.</source>
        <translation>已发送 {sent}，失败 {failed}，待重试 {retrying}。</translation>
    </message>
</context>
<context>
    <name>PackExceptions</name>
    <message>
        <source>{n} s</source>
        <extracomment>the list is fetched again this often while the screen is shown</extracomment>
        <translation>{n} 秒</translation>
    </message>
    <message>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <source>{h} h {m:02d} min</source>
        <translation>{h} 小时 {m:02d} 分</translation>
    </message>
    <message>
        <source>{g} g</source>
        <translation>{g} 克</translation>
    </message>
    <message>
        <source>{d:+d} g</source>
        <translation>{d:+d} 克</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>已等待</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Parcel</source>
        <translation>包裹</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <source>Packer</source>
        <translation>打包员</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>预计重量</translation>
    </message>
    <message>
        <source>On the scale</source>
        <translation>实际称重</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差值</translation>
    </message>
</context>
<context>
    <name>PackExceptionsScreen</name>
    <message>
        <source>Pack exceptions</source>
        <extracomment>the list was shown an action finished (its message, and whether it worked)</extracomment>
        <translation>打包异常</translation>
    </message>
    <message>
        <source>Repacked: weigh it again</source>
        <translation>已重新打包：再次称重</translation>
    </message>
    <message>
        <source>Void the parcel...</source>
        <translation>作废包裹...</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Parcels stopped at the scale: no label was printed. To accept a weight, scan your badge at the station. Otherwise have it repacked, or void the parcel.</source>
        <translation>称重被拦截的包裹：未打印面单。如要接受该重量，请到工位扫描您的工牌；否则请重新打包，或作废该包裹。</translation>
    </message>
    <message>
        <source>1 parcel waits for a supervisor</source>
        <translation>1 个包裹等待主管处理</translation>
    </message>
    <message>
        <source>{n} parcels wait for a supervisor</source>
        <translation>{n} 个包裹等待主管处理</translation>
    </message>
    <message>
        <source>No parcel is waiting</source>
        <translation>没有等待处理的包裹</translation>
    </message>
    <message>
        <source>Order {order}: to be repacked and weighed again at {station}.</source>
        <translation>订单 {order}：将在 {station} 重新打包并再次称重。</translation>
    </message>
    <message>
        <source>Void the parcel</source>
        <translation>作废包裹</translation>
    </message>
    <message>
        <source>Why is parcel {seq} of order {order} voided?</source>
        <translation>为什么作废订单 {order} 的第 {seq} 个包裹？</translation>
    </message>
    <message>
        <source>Parcel {seq} of order {order} voided: its units are to be scanned again.</source>
        <translation>订单 {order} 的第 {seq} 个包裹已作废：其商品需要重新扫描。</translation>
    </message>
</context>
<context>
    <name>PackScreen</name>
    <message>
        <source>{kg} kg</source>
        <translation>{kg} 千克</translation>
    </message>
    <message>
        <source>Packing</source>
        <translation>打包中</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已封箱</translation>
    </message>
    <message>
        <source>Weighed</source>
        <translation>已称重</translation>
    </message>
    <message>
        <source>Weight stopped</source>
        <translation>重量拦截</translation>
    </message>
    <message>
        <source>Label printed</source>
        <translation>面单已打印</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Scanned</source>
        <translation>已扫描</translation>
    </message>
    <message>
        <source>Lot {lot}</source>
        <translation>批号 {lot}</translation>
    </message>
    <message>
        <source>serial number each</source>
        <translation>每件需序列号</translation>
    </message>
    <message>
        <source>(forced)</source>
        <translation>（手工确认）</translation>
    </message>
    <message>
        <source>Parcel</source>
        <translation>包裹</translation>
    </message>
    <message>
        <source>Carton</source>
        <translation>箱子</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>重量</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>运单号</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>{n} of {m}</source>
        <translation>第 {n}/{m} 个</translation>
    </message>
    <message>
        <source>Pack</source>
        <extracomment>every answer shown (ok, text): tests wait for it</extracomment>
        <translation>打包</translation>
    </message>
    <message>
        <source>Force verify (F7)</source>
        <extracomment>the order on screen, or the one packed last (void and reprint act on its parcels) the single-unit batch the station works (一单一品), or None</extracomment>
        <translation>手工确认 (F7)</translation>
    </message>
    <message>
        <source>Type weight (F6)</source>
        <translation>输入重量 (F6)</translation>
    </message>
    <message>
        <source>Give up order (F9)</source>
        <translation>放弃此订单 (F9)</translation>
    </message>
    <message>
        <source>Void parcel (F11)</source>
        <translation>作废包裹 (F11)</translation>
    </message>
    <message>
        <source>Reprint label (F10)</source>
        <translation>补打面单 (F10)</translation>
    </message>
    <message>
        <source>Order {number} resumed where it stopped.</source>
        <translation>订单 {number} 已从中断处继续。</translation>
    </message>
    <message>
        <source>Order {number} is now {status} (changed elsewhere): stop packing it, put it aside and scan the next order.</source>
        <translation>订单 {number} 已变为{status}（在别处更改）：停止打包，把它放到一边，扫描下一个订单。</translation>
    </message>
    <message>
        <source>No order open: scan a tote, order or pick list first.</source>
        <translation>没有打开的订单：请先扫描周转箱、订单或拣货单。</translation>
    </message>
    <message>
        <source>Single-unit batch {batch}: {left} orders to pack. Scan a unit.</source>
        <translation>一单一品批次 {batch}：还有 {left} 个订单待打包。请扫描商品。</translation>
    </message>
    <message>
        <source>Batch {batch} put aside.</source>
        <translation>批次 {batch} 已暂停。</translation>
    </message>
    <message>
        <source>Every order of batch {batch} is packed.</source>
        <translation>批次 {batch} 的所有订单都已打包。</translation>
    </message>
    <message>
        <source>Order {number}: {units} units to verify.</source>
        <translation>订单 {number}：需核对 {units} 件。</translation>
    </message>
    <message>
        <source>Label sent to the printer: {tracking}</source>
        <translation>面单已发送到打印机：{tracking}</translation>
    </message>
    <message>
        <source>No scale at this station: type the weight (F6).</source>
        <translation>本工作站没有电子秤：请输入重量 (F6)。</translation>
    </message>
    <message>
        <source>Typed weights are not allowed here: use the scale.</source>
        <translation>此处不允许手工输入重量：请使用电子秤。</translation>
    </message>
    <message>
        <source>Every item is verified: nothing to force.</source>
        <translation>所有商品都已核对，无需手工确认。</translation>
    </message>
    <message>
        <source>Reprint of {tracking} sent to the printer (marked REPRINT).</source>
        <translation>{tracking} 的补打面单已发送到打印机（标记为补打）。</translation>
    </message>
    <message>
        <source>Order {number} given up: its items stay in the tote.</source>
        <translation>已放弃订单 {number}：商品留在周转箱中。</translation>
    </message>
    <message>
        <source>Scan a tote, order or pick list</source>
        <translation>扫描周转箱、订单或拣货单</translation>
    </message>
    <message>
        <source>No labelled parcel to reprint: choose one in the parcels list.</source>
        <translation>没有可补打的已出面单包裹：请在包裹列表中选择一个。</translation>
    </message>
    <message>
        <source>No labelled parcel to void: choose one in the parcels list.</source>
        <translation>没有可作废的已出面单包裹：请在包裹列表中选择一个。</translation>
    </message>
    <message>
        <source>Void parcel</source>
        <translation>作废包裹</translation>
    </message>
    <message>
        <source>Why is parcel {n} ({tracking}) voided? Its items go back to the tote.</source>
        <translation>为什么作废第 {n} 个包裹（{tracking}）？其商品将退回周转箱。</translation>
    </message>
    <message>
        <source>Repacked</source>
        <translation>已重新打包</translation>
    </message>
    <message>
        <source>Parcel {n} of order {order} voided: number {tracking} will never be used again, {units} units back in the tote.</source>
        <translation>订单 {order} 的第 {n} 个包裹已作废：单号 {tracking} 不会再使用，{units} 件商品已退回周转箱。</translation>
    </message>
    <message>
        <source>Pickup slip printed.</source>
        <extracomment>the kind ``JobWatch.watch`` is given for a pickup order's slip ("slip": a packing slip)</extracomment>
        <translation>自提单已打印。</translation>
    </message>
    <message>
        <source>Packing slip printed.</source>
        <translation>装箱单已打印。</translation>
    </message>
    <message>
        <source>Pickup slip waiting for the document printer.</source>
        <translation>自提单正在等待文档打印机。</translation>
    </message>
    <message>
        <source>Packing slip waiting for the document printer.</source>
        <translation>装箱单正在等待文档打印机。</translation>
    </message>
    <message>
        <source>Pickup slip sent to the document printer.</source>
        <translation>自提单已发送到文档打印机。</translation>
    </message>
    <message>
        <source>Packing slip sent to the document printer.</source>
        <translation>装箱单已发送到文档打印机。</translation>
    </message>
    <message>
        <source>Label printed: {tracking}</source>
        <extracomment>job id -&gt; (kind, tracking number, last status seen)</extracomment>
        <translation>面单已打印：{tracking}</translation>
    </message>
    <message>
        <source>Label not printed: {reason}</source>
        <translation>面单未打印：{reason}</translation>
    </message>
    <message>
        <source>Label not printed yet: {reason} It prints when the printer is ready.</source>
        <translation>面单尚未打印：{reason} 打印机就绪后会自动打印。</translation>
    </message>
    <message>
        <source>Scan the serial number of {product}</source>
        <translation>请扫描 {product} 的序列号</translation>
    </message>
    <message>
        <source>Put the parcel on the scale</source>
        <translation>请把包裹放到电子秤上</translation>
    </message>
    <message>
        <source>Supervisor: scan your badge to accept, or repack</source>
        <translation>主管：扫描工牌以接受，或重新打包</translation>
    </message>
    <message>
        <source>No label yet: scan READ to try again</source>
        <translation>尚无面单：扫描“读取”重试</translation>
    </message>
    <message>
        <source>Order held: {reason}. Put it aside, scan the next order.</source>
        <translation>订单已暂停：{reason}。请放到一边，扫描下一个订单。</translation>
    </message>
    <message>
        <source>Scan the next item</source>
        <translation>请扫描下一件商品</translation>
    </message>
    <message>
        <source>orders/h</source>
        <translation>单/小时</translation>
    </message>
    <message>
        <source>parcels/h</source>
        <translation>包裹/小时</translation>
    </message>
    <message>
        <source>orders packed</source>
        <translation>已打包订单</translation>
    </message>
    <message>
        <source>mis-scans</source>
        <translation>误扫</translation>
    </message>
    <message>
        <source>weight stops</source>
        <translation>重量拦截</translation>
    </message>
</context>
<context>
    <name>PackSettingsForm</name>
    <message>
        <source>Weighing and verifying</source>
        <extracomment>the example parcel the tolerance is shown on (grams)</extracomment>
        <translation>称重与核验</translation>
    </message>
    <message>
        <source>Weigh every parcel</source>
        <translation>每个包裹都要称重</translation>
    </message>
    <message>
        <source>Allow typing the weight at a station without a scale (audited)</source>
        <translation>没有电子秤的工位允许手动输入重量（记入审计）</translation>
    </message>
    <message>
        <source>Print no label until every item is scanned</source>
        <translation>所有商品都扫描后才打印面单</translation>
    </message>
    <message>
        <source>Lines ticked off with "force verify" do not count as scanned.</source>
        <translation>用“强制核验”勾掉的商品行不算已扫描。</translation>
    </message>
    <message>
        <source>Tolerance</source>
        <translation>允许误差</translation>
    </message>
    <message>
        <source>but at least</source>
        <translation>但至少</translation>
    </message>
    <message>
        <source>Packing slip</source>
        <translation>装箱单</translation>
    </message>
    <message>
        <source>Print a packing slip with each order</source>
        <translation>每个订单打印装箱单</translation>
    </message>
    <message>
        <source>The logo is chosen on the Settings screen; every station prints it.</source>
        <translation>店铺标志在“设置”页面选择，所有工位都打印它。</translation>
    </message>
    <message>
        <source>How to return an item: address, time limit, what to enclose</source>
        <translation>如何退货：退货地址、期限、需附带的东西</translation>
    </message>
    <message>
        <source>For example P-01..P-40, COUNTER</source>
        <translation>例如 P-01..P-40, COUNTER</translation>
    </message>
    <message>
        <source>A packed pickup order goes in the lowest free slot, named on its slip.</source>
        <translation>打包好的自提订单放入编号最小的空闲货位，货位印在自提单上。</translation>
    </message>
    <message>
        <source>Paper</source>
        <translation>纸张</translation>
    </message>
    <message>
        <source>Shop logo</source>
        <translation>店铺标志</translation>
    </message>
    <message>
        <source>Return instructions</source>
        <translation>退货说明</translation>
    </message>
    <message>
        <source>Pickup shelf slots</source>
        <translation>自提货架位</translation>
    </message>
    <message>
        <source>Sender (the shop), printed on labels and slips</source>
        <translation>寄件人（店铺），印在面单和装箱单上</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>国家</translation>
    </message>
    <message>
        <source>Province / state</source>
        <translation>省 / 州</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>街道地址</translation>
    </message>
    <message>
        <source>Postal code</source>
        <translation>邮编</translation>
    </message>
    <message>
        <source>a {g} g parcel may weigh {low} to {high} g</source>
        <translation>{g} 克的包裹可在 {low} 到 {high} 克之间</translation>
    </message>
    <message>
        <source>For example: {examples}. After 3 parcels of the same items and box, their own weights count too.</source>
        <translation>例如：{examples}。同样商品、同样包装的包裹满 3 个后，它们的实际重量也会作为参考。</translation>
    </message>
</context>
<context>
    <name>PackageTypeDialog</name>
    <message>
        <source>Add a package type</source>
        <translation>添加包装类型</translation>
    </message>
    <message>
        <source>Change a package type</source>
        <translation>修改包装类型</translation>
    </message>
    <message>
        <source>e.g. BOX-S</source>
        <translation>例如 BOX-S</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>optional: scan it, or leave empty to use the code</source>
        <translation>可选：扫描条码，留空则使用编码</translation>
    </message>
    <message>
        <source>In use (suggested and found by its barcode)</source>
        <translation>使用中（会被推荐，也能扫条码选用）</translation>
    </message>
    <message>
        <source>L</source>
        <translation>长</translation>
    </message>
    <message>
        <source>W</source>
        <translation>宽</translation>
    </message>
    <message>
        <source>H</source>
        <translation>高</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Inner size</source>
        <translation>内尺寸</translation>
    </message>
    <message>
        <source>Tare (empty package)</source>
        <translation>皮重（空包装）</translation>
    </message>
    <message>
        <source>Maximum weight, tare included</source>
        <translation>最大重量（含皮重）</translation>
    </message>
    <message>
        <source>Barcode</source>
        <translation>条码</translation>
    </message>
</context>
<context>
    <name>PackageTypes</name>
    <message>
        <source>Box</source>
        <translation>纸箱</translation>
    </message>
    <message>
        <source>Polybag</source>
        <translation>快递袋</translation>
    </message>
    <message>
        <source>Envelope</source>
        <translation>信封</translation>
    </message>
    <message>
        <source>no fixed size</source>
        <translation>无固定尺寸</translation>
    </message>
    <message>
        <source>No package holds these items: scan one from the carton card.</source>
        <translation>没有包装装得下这些商品：请从包装条码卡上扫描一个。</translation>
    </message>
    <message>
        <source>Suggested: {package}</source>
        <translation>推荐：{package}</translation>
    </message>
    <message>
        <source>sizes unknown for {n} items</source>
        <translation>{n} 件商品尺寸未知</translation>
    </message>
    <message>
        <source>{order}: {units} units, {weight}</source>
        <translation>{order}：{units} 件，{weight}</translation>
    </message>
    <message>
        <source>Expected weight {expected} g ({low} to {high} g)</source>
        <translation>预期重量 {expected} 克（{low} 到 {high} 克）</translation>
    </message>
    <message>
        <source>learned from {n} earlier parcels</source>
        <translation>参考了之前的 {n} 个包裹</translation>
    </message>
</context>
<context>
    <name>PackageTypesModel</name>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Inner size (L × W × H)</source>
        <translation>内尺寸（长 × 宽 × 高）</translation>
    </message>
    <message>
        <source>Tare</source>
        <translation>皮重</translation>
    </message>
    <message>
        <source>Max. weight</source>
        <translation>最大重量</translation>
    </message>
    <message>
        <source>Barcode</source>
        <translation>条码</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>使用中</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>(its code)</source>
        <translation>（用编码）</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>PackagingScreen</name>
    <message>
        <source>Packaging</source>
        <extracomment>a scanned order is tried at once the package types and settings were shown (tests and screenshots wait for it) the settings were saved (the PackSettings) or refused (None) "try on an order" answered (its CartonTrial) or refused (None)</extracomment>
        <translation>包装</translation>
    </message>
    <message>
        <source>Save packing settings</source>
        <translation>保存打包设置</translation>
    </message>
    <message>
        <source>Add package type…</source>
        <translation>添加包装类型…</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>In use / not in use</source>
        <translation>启用 / 停用</translation>
    </message>
    <message>
        <source>Print carton card…</source>
        <translation>打印包装条码卡…</translation>
    </message>
    <message>
        <source>An A4 sheet with each package's barcode: scan it at the bench to choose it</source>
        <translation>一张 A4 纸，印有每种包装的条码：在打包台扫描即可选用该包装</translation>
    </message>
    <message>
        <source>The smallest box the items fit into is suggested (sizes from the catalogue, turned every way); a polybag when no box fits. Scanning a package's barcode at the bench chooses it instead.</source>
        <translation>系统会推荐能装下商品的最小纸箱（按商品资料中的尺寸，尝试各种摆放方向）；没有纸箱装得下时推荐快递袋。在打包台扫描包装条码可改选其他包装。</translation>
    </message>
    <message>
        <source>Package types</source>
        <translation>包装类型</translation>
    </message>
    <message>
        <source>Try on an order</source>
        <translation>用订单试一试</translation>
    </message>
    <message>
        <source>Type or scan an order number</source>
        <translation>输入或扫描订单号</translation>
    </message>
    <message>
        <source>Try</source>
        <translation>试一试</translation>
    </message>
    <message>
        <source>Packing settings</source>
        <translation>打包设置</translation>
    </message>
    <message>
        <source>Only an administrator or supervisor may do this</source>
        <translation>只有管理员或主管可以这样做</translation>
    </message>
    <message>
        <source>Package type {code} saved.</source>
        <translation>包装类型 {code} 已保存。</translation>
    </message>
    <message>
        <source>Save the carton card</source>
        <translation>保存包装条码卡</translation>
    </message>
    <message>
        <source>Cannot write {file}: {reason}</source>
        <translation>无法写入 {file}：{reason}</translation>
    </message>
    <message>
        <source>Carton card saved to {file}: print it for the bench.</source>
        <translation>包装条码卡已保存到 {file}：打印出来放在打包台。</translation>
    </message>
    <message>
        <source>Packing settings saved.</source>
        <translation>打包设置已保存。</translation>
    </message>
</context>
<context>
    <name>PackdeskError</name>
    <message>
        <source>(empty)</source>
        <translation>（空）</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>A PIN is 4 to 8 digits.</source>
        <translation>PIN 码为 4 到 8 位数字。</translation>
    </message>
    <message>
        <source>A PIN of one digit repeated is too easy to guess. Choose another.</source>
        <translation>由同一个数字重复组成的 PIN 码太容易被猜到，请换一个。</translation>
    </message>
    <message>
        <source>A badge needs both the badge code and a PIN.</source>
        <translation>工牌需要同时设置工牌码和 PIN 码。</translation>
    </message>
    <message>
        <source>A barcode needs data; this one is empty.</source>
        <translation>条码需要内容；这个条码是空的。</translation>
    </message>
    <message>
        <source>A column profile is for CSV or Excel (xlsx) files.</source>
        <translation>列模板只适用于 CSV 或 Excel（xlsx）文件。</translation>
    </message>
    <message>
        <source>A label printer has 203 or 300 dpi, not {dpi}.</source>
        <translation>标签打印机的分辨率为 203 或 300 dpi，不是 {dpi}。</translation>
    </message>
    <message>
        <source>A mapping needs at least one product. Choose the product.</source>
        <translation>对应关系至少需要一个商品。请选择商品。</translation>
    </message>
    <message>
        <source>A printed label is waiting. Take it off the printer.</source>
        <translation>有一张已打印的标签等待取走。请从打印机上取下。</translation>
    </message>
    <message>
        <source>A profile name is 1 to 100 characters.</source>
        <translation>模板名称为 1 到 100 个字符。</translation>
    </message>
    <message>
        <source>A quantity barcode is for 1 to {max_qty} units.</source>
        <translation>数量条码只能表示 1 至 {max_qty} 件。</translation>
    </message>
    <message>
        <source>A reservation must be for a positive quantity, not {qty}.</source>
        <translation>预占数量必须为正数，不能是 {qty}。</translation>
    </message>
    <message>
        <source>A user name is 1 to 64 characters without spaces.</source>
        <translation>用户名为 1 到 64 个字符，不能有空格。</translation>
    </message>
    <message>
        <source>An EAN-13 has 12 or 13 digits: {data!r}.</source>
        <translation>EAN-13 条码为 12 或 13 位数字：{data!r}。</translation>
    </message>
    <message>
        <source>An adjustment is a whole number of units, not {delta!r}.</source>
        <translation>调整数量必须是整数件，不能是 {delta!r}。</translation>
    </message>
    <message>
        <source>An administrator already exists. Log in with that account.</source>
        <translation>管理员账号已存在，请用该账号登录。</translation>
    </message>
    <message>
        <source>An item has no SKU. Write the product's SKU on the line, then release the order again.</source>
        <translation>有商品没有 SKU。请在该行填写商品的 SKU，然后重新放行订单。</translation>
    </message>
    <message>
        <source>An order needs at least one line. Cancel the order instead.</source>
        <translation>订单至少需要一行商品。如不需要，请取消该订单。</translation>
    </message>
    <message>
        <source>Another mapping already matches {text} for this channel; change that one.</source>
        <translation>此渠道已有另一条对应关系匹配 {text}；请修改那一条。</translation>
    </message>
    <message>
        <source>Another station ({holder}) is upgrading the database; waited {seconds} s. Try again in a minute.</source>
        <translation>另一个工作站（{holder}）正在升级数据库；已等待 {seconds} 秒。请一分钟后重试。</translation>
    </message>
    <message>
        <source>Another station purged personal data at the same time. Run again.</source>
        <translation>另一个工作站正在同时清除个人信息。请再运行一次。</translation>
    </message>
    <message>
        <source>At least one payment status must count as paid.</source>
        <translation>至少要有一个付款状态视为已付款。</translation>
    </message>
    <message>
        <source>Cannot connect to the printer at {address}: {reason}. Check that the printer is switched on and connected, and that its address is right in the device settings.</source>
        <translation>无法连接 {address} 的打印机：{reason}。请检查打印机已开机并已连接，并在设备设置中确认地址正确。</translation>
    </message>
    <message>
        <source>Cannot pick {qty} units: only {reserved} are reserved here.</source>
        <translation>无法拣货 {qty} 件：此处仅预占了 {reserved} 件。</translation>
    </message>
    <message>
        <source>Cannot reach the database ({where}): {reason}. Check the network or the database server, then try again; nothing was saved in the meantime.</source>
        <translation>无法连接数据库（{where}）：{reason}。请检查网络或数据库服务器后重试；此期间没有保存任何内容。</translation>
    </message>
    <message>
        <source>Cannot release {qty} reserved units: only {reserved} are reserved.</source>
        <translation>无法释放 {qty} 件预占：仅预占了 {reserved} 件。</translation>
    </message>
    <message>
        <source>Cannot reserve {qty} of {sku} at {location}: only {free} is free ({on_hand} on hand, {reserved} already reserved).</source>
        <translation>无法在 {location} 预占 {qty} 件 {sku}：可用仅 {free} 件（在库 {on_hand}，已预占 {reserved}）。</translation>
    </message>
    <message>
        <source>Cannot show a label at {dpi} dpi; label printers have 72 to 600 dpi.</source>
        <translation>无法按 {dpi} dpi 显示标签；标签打印机的分辨率为 72 到 600 dpi。</translation>
    </message>
    <message>
        <source>Cannot show {language} print jobs as labels; Packdesk shows ZPL, TSPL and PDF jobs.</source>
        <translation>无法将 {language} 打印任务显示为标签；Packdesk 只能显示 ZPL、TSPL 和 PDF 任务。</translation>
    </message>
    <message>
        <source>Cannot take {qty} of {sku} from {location}: {reserved} of the {on_hand} on hand are reserved for orders, so only {free} can go. Release those orders' stock first, or take fewer.</source>
        <translation>无法从 {location} 取出 {qty} 件 {sku}：在库 {on_hand} 件中有 {reserved} 件已被订单预占，只能取 {free} 件。请先释放这些订单的库存，或少取一些。</translation>
    </message>
    <message>
        <source>Carriers do not deliver to PO boxes ({street}). Ask the customer for a street address.</source>
        <translation>快递不派送邮政信箱（{street}）。请向客户索取街道地址。</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Choose at least one line (and how many units) to split off.</source>
        <translation>请至少选择一行（及件数）进行拆分。</translation>
    </message>
    <message>
        <source>Choose at least two orders to merge.</source>
        <translation>请至少选择两个订单进行合并。</translation>
    </message>
    <message>
        <source>Choose the columns for {missing} before saving the profile.</source>
        <translation>保存方案前，请先为 {missing} 选择列。</translation>
    </message>
    <message>
        <source>Choose the port the {device} is connected to.</source>
        <translation>请选择{device}所连接的端口。</translation>
    </message>
    <message>
        <source>Code 128 takes printable ASCII characters only: {data!r}. Use a QR code for other text.</source>
        <translation>Code 128 只能编码可打印的 ASCII 字符：{data!r}。其他文字请用二维码。</translation>
    </message>
    <message>
        <source>Connected. This printer does not report paper or head status.</source>
        <translation>已连接。此打印机不报告缺纸或打印头状态。</translation>
    </message>
    <message>
        <source>Demo log-ins (user / password  ·  badge + PIN):</source>
        <translation>演示账号（用户名 / 密码  ·  工牌 + PIN）：</translation>
    </message>
    <message>
        <source>Device emulators on a serial port need a POSIX pseudo-terminal, which this system does not have. Use the socket:// emulator (TcpLink) instead.</source>
        <translation>串口设备模拟器需要 POSIX 伪终端，本系统没有。请改用 socket:// 模拟器（TcpLink）。</translation>
    </message>
    <message>
        <source>Each tracking pattern is a carrier name and a pattern.</source>
        <translation>每条快递单号规则都需要快递公司名称和匹配规则。</translation>
    </message>
    <message>
        <source>Eircode</source>
        <translation>Eircode 邮编</translation>
    </message>
    <message>
        <source>Enter the printer's address or port in the device settings.</source>
        <translation>请在设备设置中填写打印机地址或端口。</translation>
    </message>
    <message>
        <source>Enter the printer's address: host:port for a network printer, or the port of a serial or USB printer.</source>
        <translation>请填写打印机地址：网络打印机填“主机:端口”，串口或 USB 打印机填端口。</translation>
    </message>
    <message>
        <source>Every line needs a SKU.</source>
        <translation>每一行都需要 SKU。</translation>
    </message>
    <message>
        <source>Everything on order {number} is in stock; there is nothing to split off.</source>
        <translation>订单 {number} 的商品都有库存，无需拆分。</translation>
    </message>
    <message>
        <source>GS1 data must start with an application identifier in brackets, like (01)09501101530003: {data!r}.</source>
        <translation>GS1 数据必须以括号中的应用标识符开头，如 (01)09501101530003：{data!r}。</translation>
    </message>
    <message>
        <source>Labels are jammed. Open the head, clear the jam, close it and press Feed.</source>
        <translation>标签卡纸。请打开打印头，清除卡纸，合上后按走纸键。</translation>
    </message>
    <message>
        <source>Left out with the rest of its mapping: row {row} of the same mapping has a problem.</source>
        <translation>与同一对应关系的其他行一起未导入：同一对应关系的第 {row} 行有问题。</translation>
    </message>
    <message>
        <source>Line {line_no} ({sku}) of order {number} has {qty} units; cannot move {qty2}.</source>
        <translation>订单 {number} 第 {line_no} 行（{sku}）只有 {qty} 件，不能移出 {qty2} 件。</translation>
    </message>
    <message>
        <source>Line {line} ({sku}) asks for {qty} units, more than the {limit} allowed per line without a review.</source>
        <translation>第 {line} 行（{sku}）要 {qty} 件，超过未经审核每行允许的 {limit} 件。</translation>
    </message>
    <message>
        <source>Line {line} ({sku}) has quantity {qty}.</source>
        <translation>第 {line} 行（{sku}）的数量为 {qty}。</translation>
    </message>
    <message>
        <source>Line {line} ({sku}) is partly fulfilled in the channel already: check the quantity to ship, correct it, then release the order.</source>
        <translation>第 {line} 行（{sku}）在渠道中已部分发货：请核对要发的数量并改正，然后放行订单。</translation>
    </message>
    <message>
        <source>Line {line} has no {kind} to match on; choose another match.</source>
        <translation>第 {line} 行没有可匹配的 {kind}；请选择其他匹配方式。</translation>
    </message>
    <message>
        <source>Line {line} of order {number} is already the product {sku}; edit the order to change it.</source>
        <translation>订单 {number} 的第 {line} 行已是商品 {sku}；如需更改请编辑订单。</translation>
    </message>
    <message>
        <source>Line {line} of {file} is not valid {encoding} text. Choose another encoding, or save the file again as 'CSV UTF-8'.</source>
        <translation>{file} 第 {line} 行不是有效的 {encoding} 文本。请选择其他编码，或将文件另存为“CSV UTF-8”。</translation>
    </message>
    <message>
        <source>Line {line} has no SKU. Map the listing to a product (Review: Map to product…, Ctrl+M) or write our SKU on the line.</source>
        <translation>第 {line} 行没有 SKU。请把平台商品对应到我方商品（审单：对应到商品…，Ctrl+M），或在该行填写我方 SKU。</translation>
    </message>
    <message>
        <source>10 or 11 digits</source>
        <translation>10 或 11 位数字</translation>
    </message>
    <message>
        <source>12 digits</source>
        <translation>12 位数字</translation>
    </message>
    <message>
        <source>12 to 15 digits</source>
        <translation>12 至 15 位数字</translation>
    </message>
    <message>
        <source>13 or 15 digits</source>
        <translation>13 或 15 位数字</translation>
    </message>
    <message>
        <source>1Z and 16 letters and digits</source>
        <translation>1Z 加 16 位字母和数字</translation>
    </message>
    <message>
        <source>20 to 22 or 26 digits (30 to 34 with the 420 ZIP prefix)</source>
        <translation>20 至 22 位或 26 位数字（带 420 邮编前缀时为 30 至 34 位）</translation>
    </message>
    <message>
        <source>A box needs its inner length, width and height in mm. Measure the inside, or make it a polybag.</source>
        <translation>纸箱需要填写内长、内宽、内高（毫米）。请量一下箱子内部，或改为快递袋。</translation>
    </message>
    <message>
        <source>A brace in the template is not closed or has no opening: write placeholders as {customer_name}, and a brace itself as two braces.</source>
        <translation>模板中有括号未闭合或缺少左括号：占位符请写成 {customer_name}，括号本身请写两个。</translation>
    </message>
    <message>
        <source>A cart has 1 to 99 tote slots, not {slots}. Count the slots on the cart.</source>
        <translation>拣货车有 1 到 99 个周转箱格位，不能是 {slots}。请数一下车上的格位。</translation>
    </message>
    <message>
        <source>A cart's limits are 0 (no limit) or more. Correct the negative one.</source>
        <translation>拣货车的上限为 0（不限）或更大。请改正负数。</translation>
    </message>
    <message>
        <source>A journal entry's key has 1 to {n} characters; got {length}.</source>
        <translation>日志条目的键应为 1 到 {n} 个字符，实际为 {length} 个。</translation>
    </message>
    <message>
        <source>A mapping name is 1 to 60 characters.</source>
        <translation>映射名称为 1 到 60 个字符。</translation>
    </message>
    <message>
        <source>A mapping needs a name.</source>
        <translation>映射需要一个名称。</translation>
    </message>
    <message>
        <source>A mapping needs at least one column: name the fields to write.</source>
        <translation>映射至少需要一列：请写出要导出的字段。</translation>
    </message>
    <message>
        <source>A notice needs a subject and a text.</source>
        <translation>通知需要标题和正文。</translation>
    </message>
    <message>
        <source>A pack exception is resolved as repacked or voided, not {resolution}.</source>
        <translation>打包异常只能处理为“已重新打包”或“已作废”，不能是 {resolution}。</translation>
    </message>
    <message>
        <source>A package is a box, a polybag or an envelope, not {kind}.</source>
        <translation>包装只能是纸箱、快递袋或信封，不能是 {kind}。</translation>
    </message>
    <message>
        <source>A package name has at most 200 characters.</source>
        <translation>包装名称最多 200 个字符。</translation>
    </message>
    <message>
        <source>A parcel count barcode is for 1 to {most} parcels.</source>
        <translation>包裹数条码只能表示 1 到 {most} 个包裹。</translation>
    </message>
    <message>
        <source>A polybag has no fixed size: leave its dimensions at 0. It takes whatever its maximum weight allows.</source>
        <translation>快递袋没有固定尺寸：尺寸请保持为 0。只要不超过最大重量，什么都能装。</translation>
    </message>
    <message>
        <source>A product's tags are at most {most} characters long.</source>
        <translation>商品标签最多 {most} 个字符。</translation>
    </message>
    <message>
        <source>A range of {format} numbers cannot be counted ({start}): list the numbers one per row.</source>
        <translation>{format} 单号不能按号段展开（{start}）：请每行列出一个单号。</translation>
    </message>
    <message>
        <source>A reason code is 1 to 32 letters, digits or _ (it was {code}).</source>
        <translation>原因代码须为 1 到 32 个字母、数字或 _（输入的是 {code}）。</translation>
    </message>
    <message>
        <source>A return quantity must be at least 1, not {qty}.</source>
        <translation>退货数量至少为 1，不能是 {qty}。</translation>
    </message>
    <message>
        <source>A sort wall has at most {max_slots} slots, not {slots}.</source>
        <translation>播种墙最多 {max_slots} 个格口，不能是 {slots} 个。</translation>
    </message>
    <message>
        <source>A tracking link starts with https:// and has {placeholder} where the number goes.</source>
        <translation>物流查询链接须以 https:// 开头，并在运单号的位置写 {placeholder}。</translation>
    </message>
    <message>
        <source>A tracking number has 8 to 40 letters and digits; "{number}" is not one.</source>
        <translation>运单号由 8 至 40 位字母和数字组成；“{number}”不是运单号。</translation>
    </message>
    <message>
        <source>A tracking page is a web address starting with https:// with {{tracking}} where the number goes; {url} is not one.</source>
        <translation>查件网址须以 https:// 开头，并在运单号的位置写 {{tracking}}；{url} 不是这样的网址。</translation>
    </message>
    <message>
        <source>A {format} file is .{ext}: name the file {name}.</source>
        <translation>{format} 文件是 .{ext} 格式：请把文件命名为 {name}。</translation>
    </message>
    <message>
        <source>Aisle {code} runs from y {y_from:g} to {y_to:g} but must reach the front and back cross aisles (y {low:g} and {high:g}). Extend it.</source>
        <translation>巷道 {code} 从 y {y_from:g} 到 {y_to:g}，但必须连到前、后横向通道（y {low:g} 和 {high:g}）。请延长它。</translation>
    </message>
    <message>
        <source>Aisle {code}: y_from {y_from:g} must be less than y_to {y_to:g}. Swap them.</source>
        <translation>巷道 {code}：y_from {y_from:g} 必须小于 y_to {y_to:g}。请把两者对调。</translation>
    </message>
    <message>
        <source>All items verified.</source>
        <translation>全部商品已核对。</translation>
    </message>
    <message>
        <source>All items verified. Put the parcel on the scale.</source>
        <translation>全部商品已核对。请把包裹放到秤上。</translation>
    </message>
    <message>
        <source>Batch {batch} cannot be sorted at the wall: {why}. Choose a picked pick-then-sort batch.</source>
        <translation>批次 {batch} 不能在播种墙分拣：{why}。请选择一个已拣完的先拣后播批次。</translation>
    </message>
    <message>
        <source>Batch {batch} does not exist: press Get work.</source>
        <translation>批次 {batch} 不存在：请按“领取任务”。</translation>
    </message>
    <message>
        <source>Batch {batch} has no tote for this task: ask a supervisor to plan the wave again.</source>
        <translation>批次 {batch} 没有给这个任务分配周转箱：请主管重新规划波次。</translation>
    </message>
    <message>
        <source>Batch {batch} has nothing left to pick.</source>
        <translation>批次 {batch} 已没有要拣的货。</translation>
    </message>
    <message>
        <source>Batch {batch} is being picked by someone else: press Get work.</source>
        <translation>批次 {batch} 正由别人拣货：请按“领取任务”。</translation>
    </message>
    <message>
        <source>Batch {batch} is not a picked single-unit batch ({why}). Scan the bulk tote or pick list of a picked single-unit batch, or pack its orders one by one.</source>
        <translation>批次 {batch} 不是已拣完的一单一品批次（{why}）。请扫描已拣完的一单一品批次的汇总周转箱或拣货单，或逐单打包它的订单。</translation>
    </message>
    <message>
        <source>Batch {batch} is not being picked: press Get work.</source>
        <translation>批次 {batch} 不在拣货中：请按“领取任务”。</translation>
    </message>
    <message>
        <source>Batch {batch} is {status}; only a batch being picked can be freed.</source>
        <translation>批次 {batch} 的状态是 {status}；只有正在拣货的批次才能释放。</translation>
    </message>
    <message>
        <source>Batch {batch} is {status}; only a batch nobody works yet can be assigned. Free it first.</source>
        <translation>批次 {batch} 的状态是 {status}；只有还没人拣的批次才能指派。请先释放它。</translation>
    </message>
    <message>
        <source>Box / 纸箱</source>
        <translation>Box / 纸箱</translation>
    </message>
    <message>
        <source>Cancelled in the channel while its status here was “{stage}”: stop and put back what was picked or packed, then cancel the order.</source>
        <translation>渠道取消了此订单（当时此处状态：“{stage}”）：请停止作业，把已拣或已打包的商品放回原处，然后取消订单。</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>快递公司</translation>
    </message>
    <message>
        <source>Channel {value} is not one of {wanted}.</source>
        <translation>渠道 {value} 不在 {wanted} 之中。</translation>
    </message>
    <message>
        <source>Choose some of the orders or batches of wave {wave} to move to a new wave, not none and not all.</source>
        <translation>请选择波次 {wave} 中要移到新波次的部分订单或批次：不能一个不选，也不能全选。</translation>
    </message>
    <message>
        <source>Choose the columns for {missing} before saving the mapping.</source>
        <translation>保存映射前，请先为 {missing} 选择列。</translation>
    </message>
    <message>
        <source>Choose why the pick is short: scan a reason barcode or press a reason, or scan CANCEL.</source>
        <translation>请选择缺货原因：扫描原因条码或按原因按钮，或扫描“取消”。</translation>
    </message>
    <message>
        <source>City {value} is not one of {wanted}.</source>
        <translation>城市 {value} 不在 {wanted} 之中。</translation>
    </message>
    <message>
        <source>Country {value} is not one of {wanted}.</source>
        <translation>国家 {value} 不在 {wanted} 之中。</translation>
    </message>
    <message>
        <source>Depot {code} at y {y:g} is not on a cross aisle (they are at y {crosses}). Put it on one.</source>
        <translation>出发点 {code} 在 y {y:g}，不在横向通道上（横向通道在 y {crosses}）。请把它放到横向通道上。</translation>
    </message>
    <message>
        <source>Depot {code} is the default too; only one depot can be. Mark one.</source>
        <translation>出发点 {code} 也被设为默认；只能有一个默认出发点。请只标记一个。</translation>
    </message>
    <message>
        <source>E and a letter, 8 digits, a check digit and a two-letter country code</source>
        <translation>E 加一个字母、8 位数字、1 位校验位和两个字母的国家代码</translation>
    </message>
    <message>
        <source>Envelope / 信封</source>
        <translation>Envelope / 信封</translation>
    </message>
    <message>
        <source>Every order of batch {batch} is packed. Scan the next batch's tote or pick list.</source>
        <translation>批次 {batch} 的订单已全部打包。请扫描下一个批次的周转箱或拣货单。</translation>
    </message>
    <message>
        <source>Everything shipped on order {order} has come back already: nothing more to return.</source>
        <translation>订单 {order} 发出的商品已全部退回：没有可再退的商品。</translation>
    </message>
    <message>
        <source>Full tote cancelled: go on with tote {tote}.</source>
        <translation>已取消满箱：继续使用周转箱 {tote}。</translation>
    </message>
    <message>
        <source>Give all three inner dimensions, or none (0) for a package without a fixed size.</source>
        <translation>请填写全部三个内尺寸；没有固定尺寸的包装则全部填 0。</translation>
    </message>
    <message>
        <source>Give at least one location code to route.</source>
        <translation>请至少输入一个库位编码来规划路线。</translation>
    </message>
    <message>
        <source>Give the address notices come from (for example shop@example.com).</source>
        <translation>请填写通知的发件地址（例如 shop@example.com）。</translation>
    </message>
    <message>
        <source>Give the mail server's host name.</source>
        <translation>请填写邮件服务器的主机名。</translation>
    </message>
    <message>
        <source>Give the reason a name in English or Chinese.</source>
        <translation>请为原因填写英文或中文名称。</translation>
    </message>
    <message>
        <source>Give the shipping rule a name of 1 to 200 characters.</source>
        <translation>请为发货规则填写 1 到 200 个字符的名称。</translation>
    </message>
    <message>
        <source>Give the wave rule a name of 1 to 100 characters.</source>
        <translation>请给波次规则起一个 1 到 100 个字符的名称。</translation>
    </message>
    <message>
        <source>Go to {location} and scan the location.</source>
        <translation>请到 {location}，扫描库位条码。</translation>
    </message>
    <message>
        <source>Handover {handover} has no parcels. Scan the parcels onto it before closing it.</source>
        <translation>交接单 {handover} 没有包裹。请先扫描包裹再关闭。</translation>
    </message>
    <message>
        <source>Handover {handover} is closed: it takes no more parcels. Scan the parcel again to put it on the carrier's next handover.</source>
        <translation>交接单 {handover} 已关闭,不再接收包裹。请重新扫描该包裹,放入该承运商的下一张交接单。</translation>
    </message>
    <message>
        <source>Handover {handover} is not closed: there is nothing to reopen.</source>
        <translation>交接单 {handover} 未关闭,无需重新打开。</translation>
    </message>
    <message>
        <source>Handover {other} of {carrier} is open for that day. Close it before reopening {handover}.</source>
        <translation>{carrier} 当天的交接单 {other} 仍未关闭。请先关闭它,再重新打开 {handover}。</translation>
    </message>
    <message>
        <source>Inner dimensions are 0 to {max} mm. Measure the inside of the package in millimetres.</source>
        <translation>内尺寸应在 0 到 {max} 毫米之间。请以毫米为单位测量包装内部。</translation>
    </message>
    <message>
        <source>JD, up to two letters and 11 to 13 digits</source>
        <translation>JD、最多两个字母和 11 至 13 位数字</translation>
    </message>
    <message>
        <source>Keep the keys of applied actions for at least 1 day (asked: {days}).</source>
        <translation>已执行操作的记录至少要保留 1 天（当前设置：{days}）。</translation>
    </message>
    <message>
        <source>Line {line} is not a line of order {order} to pack.</source>
        <translation>行 {line} 不是订单 {order} 中要打包的商品行。</translation>
    </message>
    <message>
        <source>Line {line}: SKU {sku} is not a product. Map the listing to a product (Review: Map to product…, Ctrl+M) or correct the SKU.</source>
        <translation>第 {line} 行：SKU {sku} 不是我方商品。请把平台商品对应到我方商品（审单：对应到商品…，Ctrl+M），或改正 SKU。</translation>
    </message>
    <message>
        <source>Line {sku} has quantity {qty}. Correct the quantity, then release the order again.</source>
        <translation>{sku} 行的数量为 {qty}。请改正数量后再放行订单。</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>Location {code} is not a location of warehouse {warehouse}. Correct the code, or create the location first.</source>
        <translation>库位 {code} 不是仓库 {warehouse} 的库位。请改正编码，或先建立该库位。</translation>
    </message>
    <message>
        <source>Location {code}: aisle {aisle} is not in the layout. Add the aisle.</source>
        <translation>库位 {code}：巷道 {aisle} 不在布局中。请添加该巷道。</translation>
    </message>
    <message>
        <source>Location {code}: y {y:g} is outside aisle {aisle} (y {y_from:g} to {y_to:g}). Correct its y or its aisle.</source>
        <translation>库位 {code}：y {y:g} 超出巷道 {aisle} 的范围（y {y_from:g} 到 {y_to:g}）。请改正它的 y 或巷道。</translation>
    </message>
    <message>
        <source>Location {location}: take {sku}.</source>
        <translation>库位 {location}：请取 {sku}。</translation>
    </message>
    <message>
        <source>Looks like a duplicate of {other}: same customer, same items, placed {minutes} minutes apart. Cancel one of them or release both.</source>
        <translation>疑似与 {other} 重复：同一客户、相同商品，下单相隔 {minutes} 分钟。请取消其中一单，或两单都放行。</translation>
    </message>
    <message>
        <source>Lot</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Lot {lot} of {sku} expires on {expiry_date:%Y-%m-%d}, not on {expiry:%Y-%m-%d}. Check the label.</source>
        <translation>{sku} 的批次 {lot} 到期日为 {expiry_date:%Y-%m-%d}，不是 {expiry:%Y-%m-%d}。请核对标签。</translation>
    </message>
    <message>
        <source>Lot {lot} taken instead of {old_lot}: the reservation moved to it.</source>
        <translation>已改拣批号 {lot}（原为 {old_lot}），预留已转到该批号。</translation>
    </message>
    <message>
        <source>Lot {lot} was not shipped on this order: check the label.</source>
        <translation>此订单没有发出批次 {lot}：请核对标签。</translation>
    </message>
    <message>
        <source>Matched, but earlier rules already chose what this rule sets: no change.</source>
        <translation>已匹配，但前面的规则已选定本规则要设置的内容：不作更改。</translation>
    </message>
    <message>
        <source>Matched: packs in {package}.</source>
        <translation>已匹配：使用包装 {package}。</translation>
    </message>
    <message>
        <source>Matched: ships with {service} in {package}.</source>
        <translation>已匹配：用 {service} 发货，包装 {package}。</translation>
    </message>
    <message>
        <source>Matched: ships with {service}.</source>
        <translation>已匹配：用 {service} 发货。</translation>
    </message>
    <message>
        <source>Matched: the order is held: {reason}</source>
        <translation>已匹配：订单暂停：{reason}</translation>
    </message>
    <message>
        <source>Matched: the search stops here.</source>
        <translation>已匹配：到此停止匹配。</translation>
    </message>
    <message>
        <source>Move a rule up or down, not {direction}.</source>
        <translation>规则只能上移或下移，不能 {direction}。</translation>
    </message>
    <message>
        <source>No carrier was chosen for order {order}: no shipping rule matches and the order has none. Ask a supervisor to add a rule or set the order's carrier, then scan READ.</source>
        <translation>订单 {order} 没有选定承运商：没有匹配的发货规则，订单本身也没有指定。请主管添加规则或设置订单的承运商，然后扫描“读取”。</translation>
    </message>
    <message>
        <source>No item is tagged {wanted} (the items' tags: {value}).</source>
        <translation>没有商品带有标签 {wanted}（商品的标签：{value}）。</translation>
    </message>
    <message>
        <source>No item's SKU is one of {wanted} (the order has {value}).</source>
        <translation>没有商品的 SKU 属于 {wanted}（订单中有 {value}）。</translation>
    </message>
    <message>
        <source>No order has the number {scan}. Scan the barcode on the pickup slip, or type the order number the customer shows.</source>
        <translation>没有单号为 {scan} 的订单。请扫取件单上的条码，或输入顾客出示的订单号。</translation>
    </message>
    <message>
        <source>No order of batch {batch} still needs {sku}. Put the unit aside and tell a supervisor.</source>
        <translation>批次 {batch} 中已没有订单需要 {sku}。请把这件商品放到一边并告知主管。</translation>
    </message>
    <message>
        <source>No order of pick list {batch} is waiting to be packed ({statuses}). Scan a tote or an order number.</source>
        <translation>拣货单 {batch} 中没有待打包的订单（{statuses}）。请扫描周转箱或订单号。</translation>
    </message>
    <message>
        <source>No order on this wall needs {sku} any more: put the unit aside and tell a supervisor.</source>
        <translation>这面墙上已没有订单需要 {sku}：请把这件商品放到一边，并告诉主管。</translation>
    </message>
    <message>
        <source>No package fits these items: choose one by scanning its barcode.</source>
        <translation>没有能装下这些商品的包装：请扫描所用包装的条码。</translation>
    </message>
    <message>
        <source>No parcel has the number {scan}. Scan the tracking barcode on the parcel's label; if it still is not found, put the parcel aside for a supervisor.</source>
        <translation>没有运单号为 {scan} 的包裹。请扫描面单上的运单条码;若仍找不到,请把包裹放到一边交给主管。</translation>
    </message>
    <message>
        <source>No port is set for the {device}. Choose one in the settings.</source>
        <translation>{device}未设置端口。请在设置中选择。</translation>
    </message>
    <message>
        <source>No rule chose a carrier service and the order has none from intake: choose one (a rule or the order) before it is labelled.</source>
        <translation>没有规则选定快递服务，订单导入时也没有：打印面单前请选定一个（通过规则或在订单上）。</translation>
    </message>
    <message>
        <source>No rule chose a carrier service: the order keeps its own from intake, {service}.</source>
        <translation>没有规则选定快递服务：订单保留导入时的 {service}。</translation>
    </message>
    <message>
        <source>No tracking numbers are left for {carrier} {service}. Load more numbers (packdesk carriers pool load), then scan the last item again.</source>
        <translation>{carrier} {service} 的运单号已用完。请先导入更多单号（packdesk carriers pool load），再重新扫描最后一件商品。</translation>
    </message>
    <message>
        <source>No weight is waiting for a supervisor here.</source>
        <translation>这里没有等待主管确认的重量。</translation>
    </message>
    <message>
        <source>None of order {number} is in stock, so splitting would leave nothing. The order waits for stock as it is.</source>
        <translation>订单 {number} 的商品都没有库存，拆分后原单将为空。订单将保持原样等待到货。</translation>
    </message>
    <message>
        <source>Not enough stock of {sku}: {wanted} wanted, {available} available, {short} short. Receive or move stock, then release the order again.</source>
        <translation>{sku} 库存不足：需要 {wanted}，可用 {available}，缺 {short}。请入库或移库后再放行订单。</translation>
    </message>
    <message>
        <source>Not enough stock of {sku}: {wanted} wanted, {available} available. Check the location or count the stock again.</source>
        <translation>{sku} 库存不足：需要 {wanted}，可用 {available}。请检查库位或重新盘点。</translation>
    </message>
    <message>
        <source>Not now: {expected}</source>
        <translation>现在不需要这个：{expected}</translation>
    </message>
    <message>
        <source>Not tried: rule “{rule}” ended the search.</source>
        <translation>未尝试：规则“{rule}”已结束匹配。</translation>
    </message>
    <message>
        <source>Nothing is verified yet: scan the items to ship before SHIP PARTIAL.</source>
        <translation>还没有核对任何商品：请先扫描要发出的商品，再扫描“部分发货”。</translation>
    </message>
    <message>
        <source>Nothing is waiting for a label.</source>
        <translation>没有等待打印面单的包裹。</translation>
    </message>
    <message>
        <source>Nothing is waiting for inspection: scan an item that came back.</source>
        <translation>没有待检验的商品：请扫描退回的商品。</translation>
    </message>
    <message>
        <source>Nothing to finish: scan the parcel of a return first.</source>
        <translation>没有可完成的退货：请先扫描退回的包裹。</translation>
    </message>
    <message>
        <source>Nothing to pack is known by {text}. Scan a tote, an order number, a pick list or a channel order id.</source>
        <translation>找不到 {text} 对应的待打包内容。请扫描周转箱、订单号、拣货单或平台订单号。</translation>
    </message>
    <message>
        <source>Nothing to print: the label is empty.</source>
        <translation>没有可打印的内容：标签是空的。</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>没有任何修改。</translation>
    </message>
    <message>
        <source>Notices are not set up: give the mail server in the notice settings (packdesk notices smtp set).</source>
        <translation>通知尚未设置：请在通知设置中填写邮件服务器（packdesk notices smtp set）。</translation>
    </message>
    <message>
        <source>One too many: order {order} needs {qty} of {sku} and all are verified. Put the extra unit aside.</source>
        <translation>多扫了一件：订单 {order} 需要 {qty} 件 {sku}，已全部核对。请把多出的一件放到一边。</translation>
    </message>
    <message>
        <source>Only a failed or cancelled notice can be sent again; this one is {status}.</source>
        <translation>只有发送失败或已取消的通知可以重发；这条通知的状态是{status}。</translation>
    </message>
    <message>
        <source>Only a waiting notice can be cancelled; this one is {status}.</source>
        <translation>只有待发送的通知可以取消；这条通知的状态是{status}。</translation>
    </message>
    <message>
        <source>Only orders from the same channel to the same person at the same address can be merged. Check the orders' channel, name, phone and address.</source>
        <translation>只有同一渠道、同一收件人、同一地址的订单才能合并。请检查订单的渠道、姓名、电话和地址。</translation>
    </message>
    <message>
        <source>Only the quantity command carries a number.</source>
        <translation>只有数量指令可以带数字。</translation>
    </message>
    <message>
        <source>Only {left} of {sku} are still to verify, not {units}.</source>
        <translation>{sku} 只剩 {left} 件待核对，不是 {units} 件。</translation>
    </message>
    <message>
        <source>Only {left} of {sku} can come back ({shipped} shipped, {returned} returned already): check the item and the quantity.</source>
        <translation>{sku} 只能再退 {left} 件（已发 {shipped} 件，已退 {returned} 件）：请核对商品和数量。</translation>
    </message>
    <message>
        <source>Only {left} tracking numbers are left for {carrier}: load more soon.</source>
        <translation>{carrier} 只剩 {left} 个运单号：请尽快导入更多。</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Order line</source>
        <translation>订单明细</translation>
    </message>
    <message>
        <source>Order value {value} {currency} is above the rule's {limit}.</source>
        <translation>订单金额 {value} {currency} 高于规则的 {limit}。</translation>
    </message>
    <message>
        <source>Order value {value} {currency} is below the rule's {limit}.</source>
        <translation>订单金额 {value} {currency} 低于规则的 {limit}。</translation>
    </message>
    <message>
        <source>Order {number} allocated; units reserved: {units}.</source>
        <translation>订单 {number} 已分配；预占件数：{units}。</translation>
    </message>
    <message>
        <source>Order {number} allocated; units reserved: {units}. Units waiting for stock on backorder {backorder}: {missing}.</source>
        <translation>订单 {number} 已分配；预占件数：{units}。缺货单 {backorder} 待补货件数：{missing}。</translation>
    </message>
    <message>
        <source>Order {number} cancelled.</source>
        <translation>订单 {number} 已取消。</translation>
    </message>
    <message>
        <source>Order {number} cancelled; {units} reserved units were given back.</source>
        <translation>订单 {number} 已取消；已释放预占的 {units} 件。</translation>
    </message>
    <message>
        <source>Order {number} cannot go into a wave: it is {status}{in_wave}. Only allocated orders that are in no wave can.</source>
        <translation>订单 {number} 不能加入波次：它的状态是 {status}{in_wave}。只有已分配且不在任何波次中的订单才可以。</translation>
    </message>
    <message>
        <source>Order {number} deallocated; {units} units given back.</source>
        <translation>订单 {number} 已取消分配；已释放 {units} 件。</translation>
    </message>
    <message>
        <source>Order {number} has no line {unknown}. Choose lines of this order.</source>
        <translation>订单 {number} 没有第 {unknown} 行。请选择此订单的明细行。</translation>
    </message>
    <message>
        <source>Order {number} held: {reasons}</source>
        <translation>订单 {number} 已挂起：{reasons}</translation>
    </message>
    <message>
        <source>Order {number} is being allocated at another station.</source>
        <translation>订单 {number} 正在其他工作站分配库存。</translation>
    </message>
    <message>
        <source>Order {number} is on hold.</source>
        <translation>订单 {number} 已挂起。</translation>
    </message>
    <message>
        <source>Order {number} is on hold; {units} reserved units were given back.</source>
        <translation>订单 {number} 已挂起；已释放预占的 {units} 件。</translation>
    </message>
    <message>
        <source>Order {number} is {status}; it can no longer be cancelled.</source>
        <translation>订单 {number} 状态为{status}，已不能取消。</translation>
    </message>
    <message>
        <source>Order {number} is {status}; it can no longer be held.</source>
        <translation>订单 {number} 状态为{status}，已不能挂起。</translation>
    </message>
    <message>
        <source>Order {number} is {status}; only allocated orders can be deallocated.</source>
        <translation>订单 {number} 状态为{status}；只有已分配的订单才能取消分配。</translation>
    </message>
    <message>
        <source>Order {number} is {status}; only new or held orders can be mapped.</source>
        <translation>订单 {number} 处于 {status} 状态；只有新订单或挂起的订单可以对应商品。</translation>
    </message>
    <message>
        <source>Order {number} is {status}; only new or held orders can be released.</source>
        <translation>订单 {number} 状态为{status}；只有新订单或挂起的订单才能放行。</translation>
    </message>
    <message>
        <source>Order {number} is {status}; only new, held or released orders can be edited.</source>
        <translation>订单 {number} 状态为{status}；只有新建、挂起或已放行的订单可以修改。</translation>
    </message>
    <message>
        <source>Order {number} is {status}; only orders that are not allocated yet can be merged.</source>
        <translation>订单 {number} 状态为{status}；只有尚未分配库存的订单可以合并。</translation>
    </message>
    <message>
        <source>Order {number} is {status}; only orders that are not allocated yet can be split. Deallocate it first.</source>
        <translation>订单 {number} 状态为{status}；只有尚未分配库存的订单可以拆分。请先取消分配。</translation>
    </message>
    <message>
        <source>Order {number} is {status}; only released orders are allocated.</source>
        <translation>订单 {number} 状态为{status}；只有已放行的订单才能分配库存。</translation>
    </message>
    <message>
        <source>Order {number} of wave {wave} is {status} now, no longer allocated. Re-plan the wave, then release it.</source>
        <translation>波次 {wave} 中的订单 {number} 现在是 {status}，已不再是“已分配”。请先重新规划该波次，再下发。</translation>
    </message>
    <message>
        <source>Order {number} released.</source>
        <translation>订单 {number} 已放行。</translation>
    </message>
    <message>
        <source>Order {number} waits for stock: none of its {missing} units can be reserved yet.</source>
        <translation>订单 {number} 等待库存：{missing} 件都还无法预占。</translation>
    </message>
    <message>
        <source>Order {number} was already on hold; the reason was added.</source>
        <translation>订单 {number} 已处于挂起状态；已追加挂起原因。</translation>
    </message>
    <message>
        <source>Order {number} was cancelled in the channel while it was being picked or packed: put the items back, then cancel it. It cannot be changed.</source>
        <translation>订单 {number} 在拣货或打包时已被渠道取消：请先把商品放回原处，然后取消订单。此订单不能修改。</translation>
    </message>
    <message>
        <source>Order {number} was cancelled in the channel while it was being picked or packed: put the items back, then cancel it. It cannot be released.</source>
        <translation>订单 {number} 在拣货或打包时已被渠道取消：请先把商品放回原处，然后取消订单。此订单不能放行。</translation>
    </message>
    <message>
        <source>Order {number} was changed by someone else while you edited it. Open it again and redo your change; nothing was saved.</source>
        <translation>在您修改期间，订单 {number} 已被他人更改。请重新打开并再次修改；本次未保存任何内容。</translation>
    </message>
    <message>
        <source>Order {number} was not found.</source>
        <translation>未找到订单 {number}。</translation>
    </message>
    <message>
        <source>Order {order} already has {started} parcels: scan a parcel count of at least {started}.</source>
        <translation>订单 {order} 已经有 {started} 个包裹：请扫描不少于 {started} 的包裹数。</translation>
    </message>
    <message>
        <source>Order {order} cannot go from {current} to {target}.</source>
        <translation>订单 {order} 不能从 {current} 变为 {target}。</translation>
    </message>
    <message>
        <source>Order {order} goes by carrier, not to the pickup shelf: hand it over on the Ship screen.</source>
        <translation>订单 {order} 走快递，不在自提货架：请在发货界面交接。</translation>
    </message>
    <message>
        <source>Order {order} goes in {count} parcels: each label says its number of {count}.</source>
        <translation>订单 {order} 分 {count} 个包裹：每张面单都会印上“第几件/共 {count} 件”。</translation>
    </message>
    <message>
        <source>Order {order} is already {status}. To print its label again use reprint; to pack it again, void its parcels first.</source>
        <translation>订单 {order} 已经是{status}状态。要再次打印面单请用补打；要重新打包，请先作废其包裹。</translation>
    </message>
    <message>
        <source>Order {order} is being packed at station {station} by {user}. Finish or release it there first.</source>
        <translation>订单 {order} 正在工作台 {station} 由 {user} 打包。请先在那里完成或释放它。</translation>
    </message>
    <message>
        <source>Order {order} is being picked in wave {wave}. Pack it once its batch is picked, from the tote.</source>
        <translation>订单 {order} 正在波次 {wave} 中拣货。请在其批次拣完后从周转箱打包。</translation>
    </message>
    <message>
        <source>Order {order} is cancelled: do not pack it. Put its items aside for a supervisor.</source>
        <translation>订单 {order} 已取消：不要打包。请把商品放到一边交给主管。</translation>
    </message>
    <message>
        <source>Order {order} is collected by the customer (no carrier): it is not handed over. Put it on the pickup shelf.</source>
        <translation>订单 {order} 由顾客自提(无承运商),不需交接。请放到自提货架。</translation>
    </message>
    <message>
        <source>Order {order} is held by the shipping rules: {reason}. Put it aside for a supervisor.</source>
        <translation>订单 {order} 被发货规则暂停：{reason}。请放到一边交给主管。</translation>
    </message>
    <message>
        <source>Order {order} is not picked yet (it is {status}). Pack it once it is picked.</source>
        <translation>订单 {order} 还没有拣货（当前为{status}）。请拣货后再打包。</translation>
    </message>
    <message>
        <source>Order {order} is on hold: {reasons} It cannot be packed until it is released.</source>
        <translation>订单 {order} 已暂停：{reasons} 放行之前不能打包。</translation>
    </message>
    <message>
        <source>Order {order} is open at this station. Finish it, or release it, before scanning order {other}.</source>
        <translation>订单 {order} 正在本工作台打包。请先完成或释放它，再扫描订单 {other}。</translation>
    </message>
    <message>
        <source>Order {order} is still open at this station: {step}. Finish it first, then scan the next unit.</source>
        <translation>订单 {order} 仍在本工位打包中：{step}。请先完成它，再扫描下一件。</translation>
    </message>
    <message>
        <source>Order {order} is {status} since parcel {tracking} was scanned onto handover {handover}: take that parcel off the handover (and aside) before closing it.</source>
        <translation>包裹 {tracking} 扫入交接单 {handover} 后,订单 {order} 已变为{status}:关闭前请把该包裹从交接单移出并放到一边。</translation>
    </message>
    <message>
        <source>Order {order} is {status}, not packed: it is not on the pickup shelf yet. Ask a supervisor.</source>
        <translation>订单 {order} 状态为 {status}，尚未打包，还不在自提货架上。请找主管。</translation>
    </message>
    <message>
        <source>Order {order} is {status}, not packed: parcel {tracking} cannot be handed over. Take it to a supervisor.</source>
        <translation>订单 {order} 的状态是{status},不是已打包:包裹 {tracking} 不能交接。请交给主管。</translation>
    </message>
    <message>
        <source>Order {order} is {status}, not shipped: a return is only for shipped or delivered orders.</source>
        <translation>订单 {order} 的状态是{status}，尚未发货：只有已发货或已签收的订单才能退货。</translation>
    </message>
    <message>
        <source>Order {order} packed for pickup: pickup slip sent to the printer, but every pickup shelf slot is taken. Put it aside and ask a supervisor to add slots in the packing settings.</source>
        <translation>自提订单 {order} 已打包，自提单已发送到打印机，但自提货架位已全部占满。请先放到一边，并请主管在打包设置中增加货位。</translation>
    </message>
    <message>
        <source>Order {order} packed for pickup: pickup slip sent to the printer. Put it on pickup shelf slot {slot}.</source>
        <translation>自提订单 {order} 已打包，自提单已发送到打印机。请放到自提货架位 {slot}。</translation>
    </message>
    <message>
        <source>Order {order} packed: label {tracking} sent to the printer. Scan the next tote or order.</source>
        <translation>订单 {order} 已打包：面单（{tracking}）已发送到打印机。请扫描下一个周转箱或订单。</translation>
    </message>
    <message>
        <source>Order {order} was already collected on {when}: nothing is handed over twice.</source>
        <translation>订单 {order} 已于 {when} 取走，不能重复交付。</translation>
    </message>
    <message>
        <source>Order {order} was not fully scanned ({forced} units ticked off by hand) and the settings forbid its label. Scan the items, or ask a supervisor.</source>
        <translation>订单 {order} 没有全部扫描（{forced} 件为手工确认），设置不允许为其打印面单。请扫描商品，或联系主管。</translation>
    </message>
    <message>
        <source>Order {order}: {action} done on station {station} at {at} was not applied, because an earlier action on the same order is a conflict. Settle that one first.</source>
        <translation>订单 {order}：工作站 {station} 于 {at} 做的 {action} 没有应用，因为同一订单更早的一个操作已成为冲突。请先处理那一个。</translation>
    </message>
    <message>
        <source>Order {order}: {action} done on station {station} on {date} at {at} waited more than {days} days to reach the shared database, which remembers the actions it applied for {days} days only. It was not applied: check the order by hand.</source>
        <translation>订单 {order}：工位 {station} 于 {date} {at} 完成的 {action} 超过 {days} 天才回到共享数据库，而数据库只记录最近 {days} 天已执行的操作。此操作未执行：请人工核对该订单。</translation>
    </message>
    <message>
        <source>Order {order}: {action} was accepted on station {station} at {at} while the shared database was away, but the shared database answered differently ({answer}). Check the order and its parcels.</source>
        <translation>订单 {order}：共享数据库断开期间，工作站 {station} 于 {at} 做的 {action} 在本机被接受，但共享数据库的结果不同（{answer}）。请检查该订单及其包裹。</translation>
    </message>
    <message>
        <source>Order {root} has been split too often to number another part.</source>
        <translation>订单 {root} 拆分次数过多，无法再为拆出的部分编号。</translation>
    </message>
    <message>
        <source>Orders {merged} were merged into {number}.</source>
        <translation>订单 {merged} 已合并到 {number}。</translation>
    </message>
    <message>
        <source>PIN code</source>
        <translation>PIN 邮编</translation>
    </message>
    <message>
        <source>Package {code} chosen for parcel {seq}.</source>
        <translation>包裹 {seq} 已选用包装 {code}。</translation>
    </message>
    <message>
        <source>Packdesk cannot tell which export {file} is. Choose the format (Shopify, WooCommerce) or a column profile for a generic file.</source>
        <translation>Packdesk 无法判断 {file} 是哪种导出文件。请选择格式（Shopify、WooCommerce），通用文件请选择列模板。</translation>
    </message>
    <message>
        <source>Packdesk may not open {port} for the {device}. On Linux, add this user to the 'dialout' group and log in again.</source>
        <translation>Packdesk 无权为{device}打开 {port}。在 Linux 上，请将此用户加入“dialout”组后重新登录。</translation>
    </message>
    <message>
        <source>Packdesk works with SQLite (sqlite:///path/to/file.sqlite) or PostgreSQL (postgresql+psycopg://user:password@host/db), not {backend!r}.</source>
        <translation>Packdesk 支持 SQLite（sqlite:///path/to/file.sqlite）或 PostgreSQL（postgresql+psycopg://user:password@host/db），不支持 {backend!r}。</translation>
    </message>
    <message>
        <source>Parcel {seq} closed without a label: {reason} Scan the items for parcel {next}.</source>
        <translation>包裹 {seq} 已封箱但没有面单：{reason} 请扫描包裹 {next} 的商品。</translation>
    </message>
    <message>
        <source>Parcel {seq} closed. Scan the items for parcel {next}.</source>
        <translation>包裹 {seq} 已封箱。请扫描包裹 {next} 的商品。</translation>
    </message>
    <message>
        <source>Parcel {seq} is empty. Scan its items first.</source>
        <translation>包裹 {seq} 是空的。请先扫描商品。</translation>
    </message>
    <message>
        <source>Parcel {seq} is the last of the {count} declared for order {order}: pack the rest into it, or scan the right parcel count first.</source>
        <translation>包裹 {seq} 是订单 {order} 声明的 {count} 个包裹中的最后一个：请把剩余商品装进这个包裹，或先扫描正确的包裹数。</translation>
    </message>
    <message>
        <source>Parcel {seq} labelled ({tracking}).</source>
        <translation>包裹 {seq} 已打印面单（{tracking}）。</translation>
    </message>
    <message>
        <source>Parcel {seq} of order {order} has no label yet ({status}): there is nothing to reprint. Finish packing it first.</source>
        <translation>订单 {order} 的第 {seq} 个包裹还没有面单（{status}），无法补打。请先完成打包。</translation>
    </message>
    <message>
        <source>Parcel {seq} of order {order} is already voided. Nothing was changed.</source>
        <translation>订单 {order} 的第 {seq} 个包裹已作废，未做任何更改。</translation>
    </message>
    <message>
        <source>Parcel {seq} of order {order} is labelled ({tracking}): void it first, then release the order.</source>
        <translation>订单 {order} 的包裹 {seq} 已打印面单（{tracking}）：请先作废，再释放订单。</translation>
    </message>
    <message>
        <source>Parcel {seq} of order {order} is still being packed at a station. Finish it, or release the order at that station instead.</source>
        <translation>订单 {order} 的第 {seq} 个包裹仍在工位上打包。请先完成，或在该工位释放订单。</translation>
    </message>
    <message>
        <source>Parcel {seq} of order {order} was handed to the carrier: it cannot be voided. Book it in as a return when it comes back.</source>
        <translation>订单 {order} 的第 {seq} 个包裹已交给快递，不能作废。包裹退回时请按退货入库。</translation>
    </message>
    <message>
        <source>Parcel {seq} of order {order} was voided: its label must not be used. Pack the order again for a new label.</source>
        <translation>订单 {order} 的第 {seq} 个包裹已作废，其面单不能再使用。请重新打包以获取新面单。</translation>
    </message>
    <message>
        <source>Parcel {tracking} (order {order}) goes with {carrier}, not {working}. Put it with the {carrier} parcels.</source>
        <translation>包裹 {tracking}(订单 {order})由 {carrier} 承运,不是 {working}。请放到 {carrier} 的包裹中。</translation>
    </message>
    <message>
        <source>Parcel {tracking} (order {order}) is already on handover {handover}. Do not hand it over twice: put it with that handover's parcels.</source>
        <translation>包裹 {tracking}(订单 {order})已在交接单 {handover} 上。不要重复交接:请放到该交接单的包裹中。</translation>
    </message>
    <message>
        <source>Parcel {tracking} (order {order}) is on handover {handover}.</source>
        <translation>包裹 {tracking}(订单 {order})已加入交接单 {handover}。</translation>
    </message>
    <message>
        <source>Parcel {tracking} (order {order}) is on handover {handover}: take it off the handover on the Ship screen before voiding it.</source>
        <translation>包裹 {tracking}(订单 {order})在交接单 {handover} 上:请先在发货界面把它从交接单移出,再作废。</translation>
    </message>
    <message>
        <source>Parcel {tracking} (order {order}) was voided: its label must not be used. Take the parcel to a supervisor to be packed again.</source>
        <translation>包裹 {tracking}(订单 {order})已作废,其面单不能使用。请把包裹交给主管重新打包。</translation>
    </message>
    <message>
        <source>Parcel {tracking} is already on this handover ({handover}).</source>
        <translation>包裹 {tracking} 已在本交接单上({handover})。</translation>
    </message>
    <message>
        <source>Parcel {tracking} is not on handover {handover}: there is nothing to take off.</source>
        <translation>包裹 {tracking} 不在交接单 {handover} 上,无需移出。</translation>
    </message>
    <message>
        <source>Parcel {tracking} was taken off handover {handover}.</source>
        <translation>包裹 {tracking} 已从交接单 {handover} 移出。</translation>
    </message>
    <message>
        <source>Polybag / 快递袋</source>
        <translation>Polybag / 快递袋</translation>
    </message>
    <message>
        <source>Postal code {value} does not start with {wanted}.</source>
        <translation>邮编 {value} 不以 {wanted} 开头。</translation>
    </message>
    <message>
        <source>Print job</source>
        <translation>打印任务</translation>
    </message>
    <message>
        <source>Print job {job_id} is {job_status} and cannot be cancelled.</source>
        <translation>打印任务 {job_id} 状态为{job_status}，无法取消。</translation>
    </message>
    <message>
        <source>Print job {job_id} is {job_status}, not printed yet: resend it instead of reprinting.</source>
        <translation>打印任务 {job_id} 状态为{job_status}，尚未打印：请重新发送，而不是补打。</translation>
    </message>
    <message>
        <source>Print job {job_id} is {job_status}; only a failed or waiting job can be resent. To print a sent label again, use Reprint.</source>
        <translation>打印任务 {job_id} 状态为{job_status}；只有失败或等待中的任务可以重新发送。要再次打印已发送的标签，请用补打。</translation>
    </message>
    <message>
        <source>Printing.</source>
        <translation>正在打印。</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Product mapping</source>
        <translation>商品对应</translation>
    </message>
    <message>
        <source>Province {value} is not one of {wanted}.</source>
        <translation>省份 {value} 不在 {wanted} 之中。</translation>
    </message>
    <message>
        <source>Put parcel {seq} on the scale first: its weight goes with it.</source>
        <translation>请先把包裹 {seq} 放到秤上：包裹要带上重量。</translation>
    </message>
    <message>
        <source>Reading the scale.</source>
        <translation>正在读取秤的重量。</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <source>Reason: {reason}.</source>
        <translation>原因：{reason}。</translation>
    </message>
    <message>
        <source>Reservation</source>
        <translation>预占</translation>
    </message>
    <message>
        <source>Return {number} finished: {note}.</source>
        <translation>退货 {number} 已完成：{note}。</translation>
    </message>
    <message>
        <source>Return {number} for order {order}: scan each item that came back.</source>
        <translation>订单 {order} 的退货 {number}：请逐件扫描退回的商品。</translation>
    </message>
    <message>
        <source>Return {number} has no units yet: scan the items that came back, or cancel it.</source>
        <translation>退货 {number} 还没有商品：请扫描退回的商品，或取消本次退货。</translation>
    </message>
    <message>
        <source>Return {number} has units put away already: finish it instead.</source>
        <translation>退货 {number} 已有商品放置完毕：请完成它而不是取消。</translation>
    </message>
    <message>
        <source>Return {number} is finished already: scan the parcel again to start a new one.</source>
        <translation>退货 {number} 已完成：如需新退货请重新扫描包裹。</translation>
    </message>
    <message>
        <source>Return {number} is still open: finish it (CONFIRM) before the next parcel.</source>
        <translation>退货 {number} 尚未完成：请先完成（扫描「确认」）再处理下一个包裹。</translation>
    </message>
    <message>
        <source>Return {return_id} was not found: scan the parcel again.</source>
        <translation>找不到退货 {return_id}：请重新扫描包裹。</translation>
    </message>
    <message>
        <source>Row {row} of {file} is not valid CSV ({reason}). Check the file and try again.</source>
        <translation>{file} 第 {row} 行不是有效的 CSV（{reason}）。请检查文件后重试。</translation>
    </message>
    <message>
        <source>SF and 12 or 13 digits</source>
        <translation>SF 加 12 或 13 位数字</translation>
    </message>
    <message>
        <source>SKU {sku} is not in the catalogue. Add the product or correct the line, then release the order again.</source>
        <translation>SKU {sku} 不在商品目录中。请添加该商品或改正此行后再放行订单。</translation>
    </message>
    <message>
        <source>SKU {sku} is not in the catalogue. Map it to a product or fix the order.</source>
        <translation>SKU {sku} 不在商品目录中。请对应到商品或修改订单。</translation>
    </message>
    <message>
        <source>Say which sales channel the orders come from.</source>
        <translation>请指定订单来自哪个销售渠道。</translation>
    </message>
    <message>
        <source>Say why handover {handover} is reopened: the reason is kept in the audit log.</source>
        <translation>请说明重新打开交接单 {handover} 的原因:原因会记入审计日志。</translation>
    </message>
    <message>
        <source>Say why parcel {seq} of order {order} is voided: the reason is kept.</source>
        <translation>请说明作废订单 {order} 第 {seq} 个包裹的原因：原因会被记录。</translation>
    </message>
    <message>
        <source>Say why the orders are held: the reviewer reads the reason.</source>
        <translation>请填写挂起原因：审单人员会看到此原因。</translation>
    </message>
    <message>
        <source>Scan a unit first, then the slot it goes into.</source>
        <translation>请先扫商品，再扫它要放入的格口。</translation>
    </message>
    <message>
        <source>Scan an item that came back first, then where it goes.</source>
        <translation>请先扫描退回的商品，再扫描放置位置。</translation>
    </message>
    <message>
        <source>Scan the barcode of an empty tote to replace the full tote {tote}, or scan CANCEL.</source>
        <translation>请扫描一个空周转箱的条码来替换已满的周转箱 {tote}，或扫描“取消”。</translation>
    </message>
    <message>
        <source>Scan the items into parcel {seq} before weighing it.</source>
        <translation>称重前请先把商品扫入包裹 {seq}。</translation>
    </message>
    <message>
        <source>Scan the location to restock into.</source>
        <translation>请扫描重新上架的库位。</translation>
    </message>
    <message>
        <source>Scan the parcel's tracking number, the return label or the order number first.</source>
        <translation>请先扫描包裹的快递单号、退货标签或订单号。</translation>
    </message>
    <message>
        <source>Scan the serial number of {sku} first.</source>
        <translation>请先扫描 {sku} 的序列号。</translation>
    </message>
    <message>
        <source>Serial {serial} of {sku} recorded. Scan the next item.</source>
        <translation>已记录 {sku} 的序列号 {serial}。请扫描下一件商品。</translation>
    </message>
    <message>
        <source>Serial {serial} of {sku} was already packed for order {other}. A serial ships once: check the unit and scan its serial again.</source>
        <translation>{sku} 的序列号 {serial} 已为订单 {other} 打包过。一个序列号只能发货一次：请检查商品后重新扫描序列号。</translation>
    </message>
    <message>
        <source>Serial {serial} of {sku} was not shipped on order {order}.</source>
        <translation>订单 {order} 没有发出 {sku} 的序列号 {serial}。</translation>
    </message>
    <message>
        <source>Serial {serial} was already scanned: scan the next unit.</source>
        <translation>序列号 {serial} 已扫描过：请扫描下一件。</translation>
    </message>
    <message>
        <source>Shipping method “{value}” contains none of {wanted}.</source>
        <translation>配送方式“{value}”不包含 {wanted} 中的任何一项。</translation>
    </message>
    <message>
        <source>Shipping rule</source>
        <translation>发货规则</translation>
    </message>
    <message>
        <source>Shipping what was scanned: {units} units went to {outcome} as order {new}. Put the parcel on the scale.</source>
        <translation>只发已扫描的商品：{units} 件转入{outcome}，新订单 {new}。请把包裹放到秤上。</translation>
    </message>
    <message>
        <source>Short pick cancelled.</source>
        <translation>已取消缺货登记。</translation>
    </message>
    <message>
        <source>Short pick recorded ({reason}).</source>
        <translation>已登记缺货（{reason}）。</translation>
    </message>
    <message>
        <source>Short pick: scan the reason (empty, damaged, not found) or CANCEL.</source>
        <translation>缺货：请扫描原因（货位空、破损、找不到）或“取消”。</translation>
    </message>
    <message>
        <source>Slips are written as PDF files into the slip folder.</source>
        <translation>单据以 PDF 文件保存到单据文件夹。</translation>
    </message>
    <message>
        <source>Slips cannot be written into the slip folder. Choose another folder in the device settings or fix its permissions; waiting slips are written then.</source>
        <translation>无法将单据写入单据文件夹。请在设备设置中选择其他文件夹或修正其权限；等待中的单据随后会写入。</translation>
    </message>
    <message>
        <source>Some units of return {number} are not inspected yet: restock, quarantine or write them off first.</source>
        <translation>退货 {number} 还有商品未检验：请先上架、隔离或报废。</translation>
    </message>
    <message>
        <source>Someone else changed this record at the same time. Reload it and try again; nothing was saved.</source>
        <translation>其他人同时修改了这条记录。请刷新后重试；本次没有保存任何内容。</translation>
    </message>
    <message>
        <source>Splitting off every line would leave order {number} empty. Leave at least one unit on it.</source>
        <translation>拆出所有明细会使订单 {number} 为空。请至少保留 1 件。</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>工作站</translation>
    </message>
    <message>
        <source>Stock position out of bounds: {on_hand} on hand, {reserved} reserved.</source>
        <translation>库存数据越界：在库 {on_hand}，预占 {reserved}。</translation>
    </message>
    <message>
        <source>Switched off: not tried.</source>
        <translation>已停用：未尝试。</translation>
    </message>
    <message>
        <source>System printers can be used only from the Packdesk window. Choose a network, serial or USB printer here, or print from the window.</source>
        <translation>系统打印机只能在 Packdesk 窗口中使用。请在此选择网络、串口或 USB 打印机，或在窗口中打印。</translation>
    </message>
    <message>
        <source>System printers print PDF. Choose the language PDF for a system printer.</source>
        <translation>系统打印机打印 PDF。请将系统打印机的打印语言设为 PDF。</translation>
    </message>
    <message>
        <source>Take {sku} and scan it.</source>
        <translation>请取 {sku} 并扫描。</translation>
    </message>
    <message>
        <source>Task skipped: it comes round again at the end.</source>
        <translation>已跳过此任务：最后会再轮到它。</translation>
    </message>
    <message>
        <source>That is the barcode of {sku}, not its serial number. Scan the serial number on the unit.</source>
        <translation>这是 {sku} 的商品条码，不是序列号。请扫描商品上的序列号。</translation>
    </message>
    <message>
        <source>That line is not on order {number}.</source>
        <translation>该明细不属于订单 {number}。</translation>
    </message>
    <message>
        <source>That line was not shipped on this order: nothing can come back.</source>
        <translation>此订单没有发出该行商品：无法退货。</translation>
    </message>
    <message>
        <source>The EAN-13 {data} has a wrong check digit.</source>
        <translation>EAN-13 条码 {data} 的校验位错误。</translation>
    </message>
    <message>
        <source>The PDF label cannot be read ({detail}). Ask the carrier for the label again.</source>
        <translation>无法读取 PDF 面单（{detail}）。请向快递公司重新索取面单。</translation>
    </message>
    <message>
        <source>The SKU is empty; write our product's SKU.</source>
        <translation>SKU 为空；请填写我方商品的 SKU。</translation>
    </message>
    <message>
        <source>The SKU {sku} is in this mapping twice (rows {first} and {row}); give it once with the total units.</source>
        <translation>SKU {sku} 在此对应关系中出现了两次（第 {first} 行和第 {row} 行）；请只写一次并填写合计数量。</translation>
    </message>
    <message>
        <source>The SKU {sku} is not a product.</source>
        <translation>SKU {sku} 不是商品。</translation>
    </message>
    <message>
        <source>The SKU {sku}... is longer than 64 characters.</source>
        <translation>SKU {sku}… 超过 64 个字符。</translation>
    </message>
    <message>
        <source>The account {user} is disabled. Ask a supervisor to enable it.</source>
        <translation>账号 {user} 已停用。请联系主管启用。</translation>
    </message>
    <message>
        <source>The address contains '{word}'; carriers refuse it.</source>
        <translation>地址中含有“{word}”，快递拒收。</translation>
    </message>
    <message>
        <source>The address has no district (区/县). Add it before the carrier will take the parcel.</source>
        <translation>地址缺少区/县。补上后快递才会揽收。</translation>
    </message>
    <message>
        <source>The address has no {parts}; addresses in {country} need them.</source>
        <translation>地址缺少{parts}；寄往 {country} 的地址必须填写。</translation>
    </message>
    <message>
        <source>The backup to {target} failed: {reason}. The database itself was not changed.</source>
        <translation>备份到 {target} 失败：{reason}。数据库本身没有任何改动。</translation>
    </message>
    <message>
        <source>The badge {badge} is not a user's badge here. Scan a supervisor's badge.</source>
        <translation>工牌 {badge} 不属于这里的任何用户。请扫描主管的工牌。</translation>
    </message>
    <message>
        <source>The barcode data {data!r} cannot be encoded: {exc}.</source>
        <translation>条码数据 {data!r} 无法编码：{exc}。</translation>
    </message>
    <message>
        <source>The barcode {barcode} cannot be printed or scanned as a package: use up to 64 letters, digits and signs, and not a station command.</source>
        <translation>条码 {barcode} 不能作为包装条码打印或扫描：请使用最多 64 个字母、数字和符号，且不能是工位指令。</translation>
    </message>
    <message>
        <source>The barcode {barcode} is already a product's or a location's: a scan at the bench must mean one thing. Choose another barcode.</source>
        <translation>条码 {barcode} 已经是某个商品或库位的条码：打包台上一次扫描只能代表一样东西。请换一个条码。</translation>
    </message>
    <message>
        <source>The barcode {barcode} is already the package {other}'s. Each package needs its own barcode.</source>
        <translation>条码 {barcode} 已被包装 {other} 使用。每种包装需要自己的条码。</translation>
    </message>
    <message>
        <source>The barcode {code} belongs to more than one thing here ({what}). Ask a supervisor to give each one its own barcode.</source>
        <translation>条码 {code} 同时对应多个对象（{what}）。请联系主管为每个对象分配独立条码。</translation>
    </message>
    <message>
        <source>The barcode {data} does not fit on the {code} label. Use a larger label or a shorter code.</source>
        <translation>条码 {data} 放不进 {code} 标签。请用更大的标签或更短的条码。</translation>
    </message>
    <message>
        <source>The barcode {data} is too long for the label ({width} modules at one dot each is wider than {max_width_mm} mm). Use a larger label.</source>
        <translation>条码 {data} 对此标签太长（{width} 个模块，每个 1 点，宽度超过 {max_width_mm} 毫米）。请用更大的标签。</translation>
    </message>
    <message>
        <source>The bulk tote {tote} holds no {sku} reserved for order {order}: the books and the tote disagree. Put the unit aside and tell a supervisor.</source>
        <translation>汇总箱 {tote} 中没有为订单 {order} 预留的 {sku}：账面与箱内不符。请把这件商品放到一边，并告诉主管。</translation>
    </message>
    <message>
        <source>The carrier plug-in {plugin} could not be loaded: {detail} Reinstall it, or tell whoever set it up.</source>
        <translation>无法加载快递插件 {plugin}：{detail} 请重新安装，或告诉安装它的人。</translation>
    </message>
    <message>
        <source>The carrier {carrier} has no service {service}. Use one of its services: {services}.</source>
        <translation>承运商 {carrier} 没有服务 {service}。请使用它的服务之一：{services}。</translation>
    </message>
    <message>
        <source>The carrier {carrier} refused: {detail} Try again, or tell a supervisor.</source>
        <translation>快递公司 {carrier} 拒绝了请求：{detail} 请重试，或告诉主管。</translation>
    </message>
    <message>
        <source>The carrier {carrier} uses the plug-in {plugin}, which cannot fetch tracking events. Import the carrier's status file instead (packdesk tracking import).</source>
        <translation>快递公司 {carrier} 使用的插件 {plugin} 不能获取物流轨迹。请改为导入该快递的物流状态文件（packdesk tracking import）。</translation>
    </message>
    <message>
        <source>The carrier {carrier} uses the plug-in {plugin}, which is not installed on this computer. Install it, or choose another plug-in for the carrier.</source>
        <translation>快递公司 {carrier} 使用插件 {plugin}，但本机没有安装。请安装该插件，或为这家快递公司选择其他插件。</translation>
    </message>
    <message>
        <source>The cart code {code} cannot be used: use 1 to 32 letters or digits.</source>
        <translation>拣货车编码 {code} 不可用：请使用 1 到 32 个字母或数字。</translation>
    </message>
    <message>
        <source>The channel cancelled this order. Cancel it here too.</source>
        <translation>渠道已取消此订单。请在这里也取消。</translation>
    </message>
    <message>
        <source>The channel order id {text} belongs to several orders: {orders}. Scan our order number instead.</source>
        <translation>平台订单号 {text} 对应多个订单：{orders}。请改为扫描我们的订单号。</translation>
    </message>
    <message>
        <source>The channel plug-in {plugin} could not be loaded: {detail} Reinstall it, or tell whoever set it up.</source>
        <translation>无法加载渠道插件 {plugin}：{detail} 请重新安装，或告诉安装它的人。</translation>
    </message>
    <message>
        <source>The channel refunded part of this order; check which items still go.</source>
        <translation>渠道已部分退款；请核对哪些商品仍需发出。</translation>
    </message>
    <message>
        <source>The channel refunded this order.</source>
        <translation>渠道已对此订单退款。</translation>
    </message>
    <message>
        <source>The channel {channel} ({platform}) has no tracking file of its own. Choose a format: {formats}.</source>
        <translation>渠道 {channel}（{platform}）没有自己的发货文件格式。请选择一种格式：{formats}。</translation>
    </message>
    <message>
        <source>The channel {channel} has no upload plug-in set. Set it with: packdesk channels set-credentials --channel {channel} --plugin NAME ...</source>
        <translation>渠道 {channel} 还没有设置上传插件。请用以下命令设置：packdesk channels set-credentials --channel {channel} --plugin NAME ...</translation>
    </message>
    <message>
        <source>The channel {channel} uploads through the plug-in {plugin}, which is not installed on this computer. Install it, or set the channel's plug-in again.</source>
        <translation>渠道 {channel} 通过插件 {plugin} 上传，但这台电脑没有安装该插件。请安装它，或重新设置渠道的插件。</translation>
    </message>
    <message>
        <source>The check digit of this {format} number should be {expected}, not {found}: the number is mistyped or damaged. Scan or type it again.</source>
        <translation>这个 {format} 单号的校验位应为 {expected}，而不是 {found}：单号输错或条码损坏。请重新扫描或输入。</translation>
    </message>
    <message>
        <source>The code {code} is already used by the package {other}. Choose another code.</source>
        <translation>编码 {code} 已被包装 {other} 使用。请换一个编码。</translation>
    </message>
    <message>
        <source>The colour {colour} of zone {code} is not #rrggbb (e.g. #0072B2).</source>
        <translation>库区 {code} 的颜色 {colour} 不是 #rrggbb 格式（例如 #0072B2）。</translation>
    </message>
    <message>
        <source>The columns for {missing} are not set. Set them in the column profile before importing.</source>
        <translation>{missing} 的列尚未设置。请先在列模板中设置再导入。</translation>
    </message>
    <message>
        <source>The columns {columns} of the column profile are not in {file}. Check the profile against the file's header row.</source>
        <translation>列模板中的列 {columns} 在 {file} 中不存在。请对照文件表头检查列模板。</translation>
    </message>
    <message>
        <source>The command reached the scale garbled. Check the cable and the baud rate in the device settings.</source>
        <translation>电子秤收到的指令是乱码。请检查数据线，以及设备设置中的波特率。</translation>
    </message>
    <message>
        <source>The condition {condition} must be a number of 0 or more, not {value}.</source>
        <translation>条件 {condition} 必须是 0 或更大的数字，不能是 {value}。</translation>
    </message>
    <message>
        <source>The connection to the printer at {address} was lost while sending: {reason}. Check the cable or network, then resend the label.</source>
        <translation>向 {address} 的打印机发送时连接中断：{reason}。请检查数据线或网络，然后重新发送标签。</translation>
    </message>
    <message>
        <source>The country {country} is not a two-letter code such as CN.</source>
        <translation>国家 {country} 不是两位字母代码（如 CN）。</translation>
    </message>
    <message>
        <source>The cut-off time {text} is not a time of day. Type it as HH:MM (for example 17:30), or leave it empty for no cut-off.</source>
        <translation>截单时间 {text} 不是有效的时间。请按 时:分 输入(例如 17:30),或留空表示不设截单。</translation>
    </message>
    <message>
        <source>The cut-off {cutoff} is not a time: write it as HH:MM.</source>
        <translation>截单时间 {cutoff} 不是有效时间：请写成 时:分（HH:MM）。</translation>
    </message>
    <message>
        <source>The database address {url!r} is not valid: {exc}</source>
        <translation>数据库地址 {url!r} 无效：{exc}</translation>
    </message>
    <message>
        <source>The database is busy (another station holds it). Nothing was saved; try again in a moment.</source>
        <translation>数据库正忙（另一个工作站正在使用）。没有保存任何内容，请稍后再试。</translation>
    </message>
    <message>
        <source>The database refused the change ({exc}); nothing was saved.</source>
        <translation>数据库拒绝了此更改（{exc}）；未保存任何内容。</translation>
    </message>
    <message>
        <source>The database upgrade failed at step {revision}: {reason}. It was undone: the database is exactly as it was before, and a copy from before the upgrade is in {backup}. Keep this message for support and use the previous Packdesk version until the upgrade is fixed.</source>
        <translation>数据库升级在步骤 {revision} 失败：{reason}。升级已全部撤销：数据库与升级前完全相同，升级前的副本保存在 {backup}。请保留此消息提供给技术支持，在问题修复前继续使用之前的 Packdesk 版本。</translation>
    </message>
    <message>
        <source>The database upgrade failed at step {revision}: {reason}. It was undone: the database is exactly as it was before. Keep this message for support and use the previous Packdesk version until the upgrade is fixed.</source>
        <translation>数据库升级在步骤 {revision} 失败：{reason}。升级已全部撤销：数据库与升级前完全相同。请保留此消息提供给技术支持，在问题修复前继续使用之前的 Packdesk 版本。</translation>
    </message>
    <message>
        <source>The database was created by a newer Packdesk (schema {found}, this program knows up to {known}). Update Packdesk on this station before using this database.</source>
        <translation>该数据库由更新版本的 Packdesk 创建（结构版本 {found}，本程序最高支持 {known}）。请先在本工作站升级 Packdesk 再使用此数据库。</translation>
    </message>
    <message>
        <source>The days without a scan are a whole number from 1 to 60.</source>
        <translation>无轨迹天数必须是 1 到 60 之间的整数。</translation>
    </message>
    <message>
        <source>The destination country {country} is not known. Write it as a two-letter code such as CN or US.</source>
        <translation>无法识别目的国家 {country}。请写成两个字母的代码，如 CN 或 US。</translation>
    </message>
    <message>
        <source>The document printer files PDF only; this job is not a PDF.</source>
        <translation>文档打印机只保存 PDF；此任务不是 PDF。</translation>
    </message>
    <message>
        <source>The duplicate window is 0 to 2160 hours (90 days).</source>
        <translation>查重时间范围为 0 到 2160 小时（90 天）。</translation>
    </message>
    <message>
        <source>The file is empty: it has no header row.</source>
        <translation>文件是空的：没有表头行。</translation>
    </message>
    <message>
        <source>The file is for warehouse {code}, which is not a warehouse here. Correct the [warehouse] code.</source>
        <translation>该文件是仓库 {code} 的，但这里没有这个仓库。请改正 [warehouse] 的 code。</translation>
    </message>
    <message>
        <source>The file {file} cannot be opened: {reason}. Check the path and try again.</source>
        <translation>无法打开文件 {file}：{reason}。请检查路径后重试。</translation>
    </message>
    <message>
        <source>The file {file} cannot be read. Choose another one.</source>
        <translation>无法读取文件 {file}。请选择其他文件。</translation>
    </message>
    <message>
        <source>The file {file} ends in the middle of a character; it may be cut short.</source>
        <translation>文件 {file} 在一个字符中间结束；文件可能不完整。</translation>
    </message>
    <message>
        <source>The file {file} has no sorting-code column (code or 大头笔). Its header row needs the columns country, province, city, district, postal_prefix, code and hub.</source>
        <translation>文件 {file} 没有大头笔列（code 或 大头笔）。表头需要这些列：country、province、city、district、postal_prefix、code 和 hub（或 国家、省、市、区、邮编前缀、大头笔、集包地）。</translation>
    </message>
    <message>
        <source>The file {file} holds the shop's answer instead of orders: {answer}. Check the API key and the shop's address, then download the orders again.</source>
        <translation>文件 {file} 里是店铺返回的应答，而不是订单：{answer}。请检查 API 密钥和店铺地址，然后重新下载订单。</translation>
    </message>
    <message>
        <source>The file {file} is JSON but not a list of WooCommerce orders (it holds {found}). Download the orders from /wp-json/wc/v3/orders and import that file.</source>
        <translation>文件 {file} 是 JSON，但不是 WooCommerce 订单列表（其中是 {found}）。请从 /wp-json/wc/v3/orders 下载订单，再导入那个文件。</translation>
    </message>
    <message>
        <source>The file {file} is empty: there is no header row and no order in it.</source>
        <translation>文件 {file} 是空的：没有表头，也没有订单。</translation>
    </message>
    <message>
        <source>The file {file} is neither UTF-8 nor GB18030 (GBK) text. Choose its encoding by hand, or save it again as 'CSV UTF-8' from the spreadsheet program.</source>
        <translation>文件 {file} 既不是 UTF-8 也不是 GB18030（GBK）文本。请手动选择编码，或在表格软件中另存为“CSV UTF-8”。</translation>
    </message>
    <message>
        <source>The file {file} is neither a .toml nor a .csv layout file. Choose one of those.</source>
        <translation>文件 {file} 既不是 .toml 也不是 .csv 布局文件。请选择这两种之一。</translation>
    </message>
    <message>
        <source>The file {file} is not a product mapping file: the columns {columns} are missing. Its header needs channel, match, listing, sku and units (or 渠道, 匹配方式, 平台货品, 货品编码, 数量).</source>
        <translation>文件 {file} 不是商品对应表：缺少列 {columns}。表头需要 channel、match、listing、sku 和 units（或 渠道、匹配方式、平台商品、商品编码、数量）。</translation>
    </message>
    <message>
        <source>The file {file} is not a {format} export: the columns {columns} are missing. Choose the right format, or set up the columns for a generic file.</source>
        <translation>文件 {file} 不是 {format} 导出文件：缺少列 {columns}。请选择正确的格式，或按通用文件设置列。</translation>
    </message>
    <message>
        <source>The file {file} is not an Excel workbook (.xlsx) Packdesk can read ({reason}). Save it again as .xlsx or as CSV.</source>
        <translation>文件 {file} 不是 Packdesk 能读取的 Excel 工作簿（.xlsx）（{reason}）。请另存为 .xlsx 或 CSV。</translation>
    </message>
    <message>
        <source>The file {file} is not valid JSON (line {line}, column {column}: {reason}). It may be cut short: download the orders again and import the new file.</source>
        <translation>文件 {file} 不是有效的 JSON（第 {line} 行第 {column} 列：{reason}）。文件可能不完整：请重新下载订单，再导入新文件。</translation>
    </message>
    <message>
        <source>The file {name} is neither a PDF nor a ZPL label. Ask the carrier for a PDF or ZPL label file.</source>
        <translation>文件 {name} 既不是 PDF 面单也不是 ZPL 面单。请向快递公司索取 PDF 或 ZPL 面单文件。</translation>
    </message>
    <message>
        <source>The file {target} already exists. Choose a new file name for the backup.</source>
        <translation>文件 {target} 已存在。请为备份选择一个新的文件名。</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist. Create it or choose another place.</source>
        <translation>文件夹 {folder} 不存在。请先创建它，或选择其他位置。</translation>
    </message>
    <message>
        <source>The generic format needs a saved mapping: {name} is not one. Saved mappings: {names}. Save one with: packdesk tracking mapping save NAME FIELD...</source>
        <translation>通用格式需要一个已保存的映射：{name} 不是。已保存的映射：{names}。用以下命令保存一个：packdesk tracking mapping save NAME FIELD...</translation>
    </message>
    <message>
        <source>The header row has no 'kind' column. The columns are: {columns}.</source>
        <translation>表头行没有 'kind' 列。列为：{columns}。</translation>
    </message>
    <message>
        <source>The label file {name} is empty.</source>
        <translation>面单文件 {name} 是空的。</translation>
    </message>
    <message>
        <source>The label file {name} is larger than 10 MB: it is not a label.</source>
        <translation>面单文件 {name} 超过 10 MB：这不是面单。</translation>
    </message>
    <message>
        <source>The label font {path} is missing. Reinstall Packdesk or restore resources/fonts.</source>
        <translation>缺少标签字体 {path}。请重新安装 Packdesk 或恢复 resources/fonts。</translation>
    </message>
    <message>
        <source>The label of parcel {seq} of order {order} has not printed yet ({job_status}). Resend it from the print jobs instead of reprinting it.</source>
        <translation>订单 {order} 第 {seq} 个包裹的面单还没有打印（{job_status}）。请在打印任务中重新发送，不要补打。</translation>
    </message>
    <message>
        <source>The label picture cannot be read: {exc}.</source>
        <translation>无法读取标签图片：{exc}。</translation>
    </message>
    <message>
        <source>The largest quantity per line is 0 (off) or more.</source>
        <translation>单行最大数量须为 0（不限）或更大。</translation>
    </message>
    <message>
        <source>The last unit not inspected was taken back.</source>
        <translation>已撤销最后一件未检验的商品。</translation>
    </message>
    <message>
        <source>The layout file {file} is not valid TOML: {reason}. Fix that line and load it again.</source>
        <translation>布局文件 {file} 不是有效的 TOML：{reason}。请改正那一行后重新载入。</translation>
    </message>
    <message>
        <source>The layout has no aisle. Add at least one.</source>
        <translation>布局中没有巷道。请至少添加一条。</translation>
    </message>
    <message>
        <source>The layout has no depot (where walks start and end). Add one.</source>
        <translation>布局中没有出发点（拣货行走的起点和终点）。请添加一个。</translation>
    </message>
    <message>
        <source>The layout has {count} cross aisles; it needs at least two (a front and a back one). Add the missing ones.</source>
        <translation>布局只有 {count} 条横向通道；至少需要两条（前通道和后通道）。请补上缺少的。</translation>
    </message>
    <message>
        <source>The listing is empty; write the channel's SKU, id or title.</source>
        <translation>平台商品为空；请填写渠道的 SKU、商品ID或标题。</translation>
    </message>
    <message>
        <source>The listing is longer than {limit} characters.</source>
        <translation>平台商品超过 {limit} 个字符。</translation>
    </message>
    <message>
        <source>The listing to match is empty; write its SKU, id or title.</source>
        <translation>要匹配的平台商品为空；请填写其 SKU、商品ID或标题。</translation>
    </message>
    <message>
        <source>The listing to match is longer than {limit} characters.</source>
        <translation>要匹配的平台商品超过 {limit} 个字符。</translation>
    </message>
    <message>
        <source>The location code {text} exists in several warehouses: scan its barcode.</source>
        <translation>库位编码 {text} 在多个仓库中都存在：请扫描库位条码。</translation>
    </message>
    <message>
        <source>The location {code} names no aisle. Give its aisle code.</source>
        <translation>库位 {code} 没有写巷道。请填写它的巷道编码。</translation>
    </message>
    <message>
        <source>The locations {codes} are not on the layout of warehouse {warehouse}: their aisle is not one of its aisles. Add the aisle to the layout file and load it again.</source>
        <translation>库位 {codes} 不在仓库 {warehouse} 的布局上：它们的巷道不是布局中的巷道。请在布局文件中添加该巷道后重新载入。</translation>
    </message>
    <message>
        <source>The logo file is empty. Choose a PNG or JPEG picture.</source>
        <translation>标志文件是空的。请选择 PNG 或 JPEG 图片。</translation>
    </message>
    <message>
        <source>The logo file is {size_kb} KB; the largest allowed is {max_kb} KB. Save it smaller (for example 600 x 200 pixels) and choose it again.</source>
        <translation>标志文件为 {size_kb} KB，最大允许 {max_kb} KB。请另存为较小的图片（例如 600 x 200 像素）后重新选择。</translation>
    </message>
    <message>
        <source>The logo is a {kind} picture; choose a PNG or JPEG file.</source>
        <translation>该标志是 {kind} 图片；请选择 PNG 或 JPEG 文件。</translation>
    </message>
    <message>
        <source>The logo is {width} x {height} pixels; it must be {min_px} to {max_px} pixels on each side.</source>
        <translation>该标志为 {width} x {height} 像素；每边须为 {min_px} 到 {max_px} 像素。</translation>
    </message>
    <message>
        <source>The mail server asked to try again later ({error}); the notice is sent again by itself.</source>
        <translation>邮件服务器要求稍后再试（{error}）；通知会自动重新发送。</translation>
    </message>
    <message>
        <source>The mail server refused the address {address} ({error}). Correct the customer's e-mail address, then retry the notice.</source>
        <translation>邮件服务器拒收地址 {address}（{error}）。请更正顾客的邮箱地址后重发通知。</translation>
    </message>
    <message>
        <source>The mail server refused the log-in of {user} ({error}). Check the user name and password in the notice settings.</source>
        <translation>邮件服务器拒绝了 {user} 的登录（{error}）。请检查通知设置中的用户名和密码。</translation>
    </message>
    <message>
        <source>The mail server refused the message ({error}).</source>
        <translation>邮件服务器拒收了这封邮件（{error}）。</translation>
    </message>
    <message>
        <source>The mail server refused the sender {address} ({error}). Check the from address in the notice settings.</source>
        <translation>邮件服务器拒绝了发件人 {address}（{error}）。请检查通知设置中的发件地址。</translation>
    </message>
    <message>
        <source>The mail server {server} cannot be reached ({error}). Check its host and port in the notice settings, and this PC's network.</source>
        <translation>无法连接邮件服务器 {server}（{error}）。请检查通知设置中的主机和端口，以及本机网络。</translation>
    </message>
    <message>
        <source>The match {kind} is not one of sku, listing_id or title.</source>
        <translation>匹配方式 {kind} 不是 sku、listing_id 或 title 之一。</translation>
    </message>
    <message>
        <source>The match {value!r} is not one of sku, listing_id or title.</source>
        <translation>匹配方式 {value!r} 不是 sku、listing_id 或 title 之一。</translation>
    </message>
    <message>
        <source>The minimum remaining shelf life is 0 to {max_days} days, not {min_shelf_life_days}.</source>
        <translation>最短剩余保质期为 0 至 {max_days} 天，不能是 {min_shelf_life_days}。</translation>
    </message>
    <message>
        <source>The most orders in a wave is 0 (no limit) or more.</source>
        <translation>每个波次最多订单数须为 0（不限）或更大。</translation>
    </message>
    <message>
        <source>The next item scan takes back {qty} units.</source>
        <translation>下一次扫描商品将退回 {qty} 件。</translation>
    </message>
    <message>
        <source>The number of demo orders must be 0 or more, not {orders!r}.</source>
        <translation>演示订单数必须为 0 或以上，不能是 {orders!r}。</translation>
    </message>
    <message>
        <source>The order is not paid (payment status: {status}).</source>
        <translation>订单未付款（付款状态：{status}）。</translation>
    </message>
    <message>
        <source>The order is not paid yet (payment pending). Wait for the payment or cancel.</source>
        <translation>订单尚未付款（待付款）。请等待付款或取消订单。</translation>
    </message>
    <message>
        <source>The order value from {low} is above the value up to {high}. Swap them.</source>
        <translation>订单金额下限 {low} 高于上限 {high}。请互换。</translation>
    </message>
    <message>
        <source>The package code {code} cannot be used: use 1 to 32 letters, digits, - or _.</source>
        <translation>包装编码 {code} 不能使用：请用 1 到 32 个字母、数字、- 或 _。</translation>
    </message>
    <message>
        <source>The packing slip paper is A4 or Letter, not {paper}.</source>
        <translation>装箱单纸张只能是 A4 或 Letter，不能是 {paper}。</translation>
    </message>
    <message>
        <source>The parcel was voided before its label printed: its number is void and must not go on a parcel.</source>
        <translation>包裹在面单打印前已作废：它的单号已作废，不能贴到包裹上。</translation>
    </message>
    <message>
        <source>The password must have at least 8 characters.</source>
        <translation>密码至少需要 8 个字符。</translation>
    </message>
    <message>
        <source>The pattern for {name} is not valid ({exc}): {rx}</source>
        <translation>{name} 的格式规则无效（{exc}）：{rx}</translation>
    </message>
    <message>
        <source>The phone number {phone} cannot be read as a phone number.</source>
        <translation>无法识别电话号码 {phone}。</translation>
    </message>
    <message>
        <source>The phone number {phone} is not a mainland Chinese mobile number (11 digits starting 13 to 19).</source>
        <translation>电话号码 {phone} 不是中国大陆手机号（11 位，以 13 至 19 开头）。</translation>
    </message>
    <message>
        <source>The phone number {phone} is not a valid mobile number: mainland mobiles have 11 digits starting 13-19. Call the customer or ask the shop for the right number.</source>
        <translation>电话号码 {phone} 不是有效的手机号：大陆手机号为 11 位，以 13–19 开头。请致电客户或向店铺索取正确号码。</translation>
    </message>
    <message>
        <source>The phone number {phone} is not a valid number for {country}.</source>
        <translation>电话号码 {phone} 不是 {country} 的有效号码。</translation>
    </message>
    <message>
        <source>The phone number {phone} is not a valid number.</source>
        <translation>电话号码 {phone} 不是有效号码。</translation>
    </message>
    <message>
        <source>The phone number {phone} is too short to be valid. Ask the customer for a full international number.</source>
        <translation>电话号码 {phone} 位数太少，无效。请向客户索取完整的国际号码。</translation>
    </message>
    <message>
        <source>The pickup shelf slots {text} cannot be read: write names and ranges separated by commas, such as P-01..P-40.</source>
        <translation>无法识别自提货架位 {text}：请填写用逗号分隔的货位名称或范围，例如 P-01..P-40。</translation>
    </message>
    <message>
        <source>The postal code is {length} characters long, longer than a postal code can be: the street may have been typed into the postal code field. Correct it from the customer's address and write the postal code of {country}.</source>
        <translation>邮编有 {length} 个字符，比任何邮编都长：可能把街道地址填进了邮编栏。请按客户地址改正，并填写 {country} 的邮编。</translation>
    </message>
    <message>
        <source>The postal code {code} is not 6 digits. Check it against the city.</source>
        <translation>邮编 {code} 不是 6 位。请对照城市核对。</translation>
    </message>
    <message>
        <source>The postal code {postal_code} is not of the form used in {country} (for example {example}). Correct it from the customer's address.</source>
        <translation>邮编 {postal_code} 不符合 {country} 的邮编格式（例如 {example}）。请按客户地址更正。</translation>
    </message>
    <message>
        <source>The postal code {postal_code} is not of the form used in {country}.</source>
        <translation>邮编 {postal_code} 不符合 {country} 的邮编格式。</translation>
    </message>
    <message>
        <source>The postal code {postal_code} looks like part of a street address. Move it to the street lines and write the postal code of {country}.</source>
        <translation>邮编 {postal_code} 看起来是街道地址的一部分。请把它移到街道地址栏，并填写 {country} 的邮编。</translation>
    </message>
    <message>
        <source>The postal-code prefix {prefix} has characters other than letters and digits.</source>
        <translation>邮编前缀 {prefix} 含有字母和数字以外的字符。</translation>
    </message>
    <message>
        <source>The print head is open. Close the print head and press Resume.</source>
        <translation>打印头已打开。请合上打印头并按恢复键。</translation>
    </message>
    <message>
        <source>The print head is open. Close the print head.</source>
        <translation>打印头已打开。请合上打印头。</translation>
    </message>
    <message>
        <source>The print head is too cold or too hot. Let it reach room temperature.</source>
        <translation>打印头温度过低或过高。请等它恢复到室温。</translation>
    </message>
    <message>
        <source>The printer address {address!r} is not host:port (like 192.168.1.50:9100).</source>
        <translation>打印机地址 {address!r} 不是 主机:端口 格式（如 192.168.1.50:9100）。</translation>
    </message>
    <message>
        <source>The printer at {address} did not answer within {seconds} s. It may have a fault (head open, no labels, a jam): look at its lights or display and fix it. If it is switched off or unplugged, switch it on and check the cable.</source>
        <translation>{address} 的打印机在 {seconds} 秒内无响应。可能有故障（打印头打开、缺纸、卡纸）：请查看指示灯或屏幕并排除。如果打印机已关机或未连接，请开机并检查数据线。</translation>
    </message>
    <message>
        <source>The printer at {address} stopped taking data ({sent} of {total} bytes sent in {seconds} s). Check the printer for a fault, then resend the label.</source>
        <translation>{address} 的打印机停止接收数据（{seconds} 秒内已发送 {sent}/{total} 字节）。请检查打印机故障，然后重新发送标签。</translation>
    </message>
    <message>
        <source>The printer gave an answer Packdesk cannot read. Check that the printer language is ZPL in the device settings.</source>
        <translation>打印机返回了 Packdesk 无法识别的应答。请在设备设置中确认打印机语言为 ZPL。</translation>
    </message>
    <message>
        <source>The printer is out of paper. Load labels and press Feed.</source>
        <translation>打印机缺纸。请装入标签纸并按走纸键。</translation>
    </message>
    <message>
        <source>The printer is out of paper. Load labels and press Resume.</source>
        <translation>打印机缺纸。请装入标签纸并按恢复键。</translation>
    </message>
    <message>
        <source>The printer is out of ribbon. Load a new ribbon and press Resume.</source>
        <translation>打印机碳带用完。请装上新碳带并按恢复键。</translation>
    </message>
    <message>
        <source>The printer is out of ribbon. Load a new ribbon.</source>
        <translation>打印机碳带用完。请装上新碳带。</translation>
    </message>
    <message>
        <source>The printer is paused. Press Pause on the printer to resume.</source>
        <translation>打印机已暂停。请按打印机上的暂停键恢复。</translation>
    </message>
    <message>
        <source>The printer is paused. Press Resume (Pause) on the printer.</source>
        <translation>打印机已暂停。请按打印机上的恢复（暂停）键。</translation>
    </message>
    <message>
        <source>The printer reports an error. Look at its lights, then switch it off and on.</source>
        <translation>打印机报告错误。请查看指示灯，然后关机再开机。</translation>
    </message>
    <message>
        <source>The printer's memory is full. Wait for it to print, or switch it off and on.</source>
        <translation>打印机内存已满。请等待打印完成，或关机再开机。</translation>
    </message>
    <message>
        <source>The product {sku} is in the mapping twice; give it once with the total units.</source>
        <translation>商品 {sku} 在对应关系中出现了两次；请只写一次并填写合计数量。</translation>
    </message>
    <message>
        <source>The product {sku} is no longer sold; choose another product.</source>
        <translation>商品 {sku} 已停售；请选择其他商品。</translation>
    </message>
    <message>
        <source>The quantity of {sku} must be at least 1; remove the line instead.</source>
        <translation>{sku} 的数量至少为 1；如不需要，请删除该行。</translation>
    </message>
    <message>
        <source>The range ends at {end}, before its start {start}. Swap the two ends.</source>
        <translation>号段的结束号 {end} 在起始号 {start} 之前。请交换两端。</translation>
    </message>
    <message>
        <source>The range {start} to {end} holds {count} numbers; at most {max} are loaded from one row. Split it into smaller ranges.</source>
        <translation>号段 {start} 至 {end} 共 {count} 个单号；每行最多导入 {max} 个。请拆分为更小的号段。</translation>
    </message>
    <message>
        <source>The reason {code} exists already.</source>
        <translation>原因 {code} 已存在。</translation>
    </message>
    <message>
        <source>The retention period must be 0 (keep for ever) or more days, not {days}.</source>
        <translation>保留期限必须为 0（永久保留）或更多天数，不能是 {days}。</translation>
    </message>
    <message>
        <source>The row gives no destination: write at least a country, province, city, district or postal-code prefix.</source>
        <translation>此行没有目的地：请至少填写国家、省、市、区或邮编前缀之一。</translation>
    </message>
    <message>
        <source>The row has no sorting code (大头笔). Write the code or delete the row.</source>
        <translation>此行没有大头笔。请填写或删除此行。</translation>
    </message>
    <message>
        <source>The rule {rule} holds orders: write the reason the packers will read.</source>
        <translation>规则 {rule} 会暂停订单：请填写打包员会看到的原因。</translation>
    </message>
    <message>
        <source>The rule {rule} sets nothing: choose a carrier service, a package or both.</source>
        <translation>规则 {rule} 没有设置任何内容：请选择快递服务、包装或两者。</translation>
    </message>
    <message>
        <source>The same destination is given on row {first}. Keep one of the two rows.</source>
        <translation>第 {first} 行已有相同的目的地。请只保留其中一行。</translation>
    </message>
    <message>
        <source>The scale cannot do that now. Look at its display, then try again.</source>
        <translation>电子秤现在无法执行此操作。请查看秤的显示屏后重试。</translation>
    </message>
    <message>
        <source>The scale cannot zero or tare while the weight moves. Keep it still and try again.</source>
        <translation>重量不稳定时电子秤无法置零或去皮。请保持静止后重试。</translation>
    </message>
    <message>
        <source>The scale did not understand Packdesk's command. Check the scale's protocol in the device settings.</source>
        <translation>电子秤无法识别 Packdesk 的指令。请在设备设置中检查电子秤的通讯协议。</translation>
    </message>
    <message>
        <source>The scale frame pattern is not valid: {exc}.</source>
        <translation>电子秤数据格式规则无效：{exc}。</translation>
    </message>
    <message>
        <source>The scale frame pattern must have the groups (?P&lt;status&gt;...), (?P&lt;value&gt;...) and (?P&lt;unit&gt;...).</source>
        <translation>电子秤数据帧格式必须包含分组 (?P&lt;status&gt;...)、(?P&lt;value&gt;...) 和 (?P&lt;unit&gt;...)。</translation>
    </message>
    <message>
        <source>The scale frame pattern must name the groups status, value and unit.</source>
        <translation>电子秤数据帧格式必须命名分组 status、value 和 unit。</translation>
    </message>
    <message>
        <source>The scale is busy or could not settle in time. Keep the parcel still and try again.</source>
        <translation>电子秤忙或未能及时稳定。请保持包裹静止后重试。</translation>
    </message>
    <message>
        <source>The scale is overloaded: the parcel is heavier than it can weigh. Take the parcel off and weigh it on a bigger scale.</source>
        <translation>电子秤超载：包裹超过了秤的量程。请取下包裹，改用更大量程的秤称重。</translation>
    </message>
    <message>
        <source>The scale reads below zero (underload). Empty the scale, then zero it with its Zero key or the Zero button.</source>
        <translation>电子秤读数低于零（欠载）。请清空秤台，再按秤上的置零键或“置零”按钮置零。</translation>
    </message>
    <message>
        <source>The scale reports an internal fault ({fault}). It needs service.</source>
        <translation>电子秤报告内部故障（{fault}），需要维修。</translation>
    </message>
    <message>
        <source>The scale sent something Packdesk cannot read ({frame}). Check the scale's protocol and baud rate in the device settings.</source>
        <translation>电子秤发送了 Packdesk 无法识别的数据（{frame}）。请在设备设置中检查电子秤的通讯协议和波特率。</translation>
    </message>
    <message>
        <source>The scale shows a negative weight ({value} {unit}). Empty the scale and zero it before weighing.</source>
        <translation>电子秤显示负重量（{value} {unit}）。请清空秤台并置零后再称重。</translation>
    </message>
    <message>
        <source>The scale's indicator did not zero or tare in time. Keep the weight still and try again, or use its own key.</source>
        <translation>电子秤仪表未能及时置零或去皮。请保持重量稳定后重试，或使用秤上的按键。</translation>
    </message>
    <message>
        <source>The scan patterns setting is malformed; reset it.</source>
        <translation>扫码规则设置格式错误；请重置。</translation>
    </message>
    <message>
        <source>The scan was empty. Scan the barcode again.</source>
        <translation>扫描内容为空。请重新扫描条码。</translation>
    </message>
    <message>
        <source>The scanner prefix and suffix must differ.</source>
        <translation>扫码枪的前缀和后缀不能相同。</translation>
    </message>
    <message>
        <source>The scanner sent bytes that are not text (at position {position}). Check the scanner's baud rate or keyboard language, then scan again.</source>
        <translation>扫码枪发送了非文本字节（位置 {position}）。请检查扫码枪的波特率或键盘语言，然后重新扫描。</translation>
    </message>
    <message>
        <source>The scanner {name} is at most 8 characters.</source>
        <translation>扫码枪的{name}最多 8 个字符。</translation>
    </message>
    <message>
        <source>The secure connection (STARTTLS) to the mail server {server} failed ({error}). Check the port and the STARTTLS setting.</source>
        <translation>与邮件服务器 {server} 的加密连接（STARTTLS）失败（{error}）。请检查端口和 STARTTLS 设置。</translation>
    </message>
    <message>
        <source>The setting {key} in {config_file} must be a whole number of at least {least}, not {value!r}.</source>
        <translation>设置文件 {config_file} 中的 {key} 必须是不小于 {least} 的整数，而不是 {value!r}。</translation>
    </message>
    <message>
        <source>The setting {name} has the wrong type ({value!r}).</source>
        <translation>设置项 {name} 的类型错误（{value!r}）。</translation>
    </message>
    <message>
        <source>The settings file {config_file} cannot be read: {exc}. Fix or delete it and start again.</source>
        <translation>无法读取设置文件 {config_file}：{exc}。请修正或删除后重新启动。</translation>
    </message>
    <message>
        <source>The shared database is not reachable and {text} is not among the orders this station kept for packing offline (the open orders of its claimed batches). Pack another of them, or wait until the database is back.</source>
        <translation>无法连接共享数据库，且 {text} 不在本工作站为离线打包保留的订单中（本站已领取批次中未完成的订单）。请打包其中其他订单，或等待数据库恢复。</translation>
    </message>
    <message>
        <source>The shared database is not reachable, and this order changed on this station just before: its copy here is not up to date. Put it aside until the database is back and pack another of this station's orders.</source>
        <translation>无法连接共享数据库，且这个订单在断开前刚在本工作站改动过：本机的副本不是最新的。请先把它放到一边，等数据库恢复；先打包本工作站的其他订单。</translation>
    </message>
    <message>
        <source>The shared database is not reachable: {what} must wait until it is back. Packing the orders you already have goes on.</source>
        <translation>无法连接共享数据库：{what}须等数据库恢复后才能进行。已有订单的打包可以继续。</translation>
    </message>
    <message>
        <source>The shop's address and its access token are both needed.</source>
        <translation>店铺地址和访问令牌都必须填写。</translation>
    </message>
    <message>
        <source>The shortage policy must be 'hold' or 'backorder', not {shortage_policy!r}.</source>
        <translation>缺货策略必须为 'hold'（挂起）或 'backorder'（缺货待发），不能是 {shortage_policy!r}。</translation>
    </message>
    <message>
        <source>The simulation stopped: {what}</source>
        <translation>模拟已停止：{what}</translation>
    </message>
    <message>
        <source>The slip folder's disk is full. Free some space; waiting slips are written then.</source>
        <translation>单据文件夹所在磁盘已满。请释放一些空间；等待中的单据随后会写入。</translation>
    </message>
    <message>
        <source>The slip {name} could not be written into {folder}: {reason}. Free some space or choose another folder in the device settings, then resend it.</source>
        <translation>单据 {name} 无法写入 {folder}：{reason}。请释放一些空间或在设备设置中选择其他文件夹，然后重新发送。</translation>
    </message>
    <message>
        <source>The slot barcode prefix is at most 20 characters long.</source>
        <translation>格口条码前缀最多 20 个字符。</translation>
    </message>
    <message>
        <source>The slot barcode prefix {prefix!r} must be letters, digits, '-', '_' or '.'.</source>
        <translation>格口条码前缀 {prefix!r} 只能由字母、数字、“-”、“_”或“.”组成。</translation>
    </message>
    <message>
        <source>The sort wall's {name} must be a whole number from 1 to 50, not {value!r}.</source>
        <translation>播种墙的 {name} 必须是 1 到 50 的整数，不能是 {value!r}。</translation>
    </message>
    <message>
        <source>The status is empty; this row was not read.</source>
        <translation>状态为空；此行未读取。</translation>
    </message>
    <message>
        <source>The status {value!r} is not one Packdesk understands; this row was not read. Tell whoever set up Packdesk which status it means.</source>
        <translation>无法识别状态 {value!r}；此行未读取。请告诉 Packdesk 的管理员这个状态是什么意思。</translation>
    </message>
    <message>
        <source>The subject must be one line.</source>
        <translation>标题只能有一行。</translation>
    </message>
    <message>
        <source>The tare ({tare} g) must be less than the maximum weight ({max} g), which includes it. Correct one of them, or set the maximum to 0 for no limit.</source>
        <translation>皮重（{tare} 克）必须小于最大重量（{max} 克，含皮重）。请改正其中一个，或把最大重量设为 0 表示不限。</translation>
    </message>
    <message>
        <source>The tare and the maximum weight are 0 or more grams. Correct the negative one.</source>
        <translation>皮重和最大重量应为 0 克或以上。请改正负数。</translation>
    </message>
    <message>
        <source>The time {value!r} cannot be read; write it as 2026-12-06 14:30.</source>
        <translation>无法读取时间 {value!r}；请写成 2026-12-06 14:30 这样的格式。</translation>
    </message>
    <message>
        <source>The tracking number is empty; this row was not read.</source>
        <translation>运单号为空；此行未读取。</translation>
    </message>
    <message>
        <source>The tracking number {number} of {carrier} was printed while the shared database was away, but it is no longer free there ({status}). Void the label printed with it and print a new one.</source>
        <translation>{carrier} 的运单号 {number} 是在共享数据库断开期间打印的，但它在数据库中已不再空闲（{status}）。请作废用它打印的面单，并重新打印。</translation>
    </message>
    <message>
        <source>The two ends of the range {start} and {end} differ in their letters or length: write both ends as complete numbers of the same carrier.</source>
        <translation>号段两端 {start} 和 {end} 的字母或长度不同：请把两端都写成同一承运商的完整单号。</translation>
    </message>
    <message>
        <source>The units of {sku} must be a whole number above 0 (a 6-pack: 6).</source>
        <translation>{sku} 的数量必须是大于 0 的整数（六件装填 6）。</translation>
    </message>
    <message>
        <source>The units {value!r} are not a whole number above 0.</source>
        <translation>数量 {value!r} 不是大于 0 的整数。</translation>
    </message>
    <message>
        <source>The user name {username} is taken. Choose another one.</source>
        <translation>用户名 {username} 已被占用。请换一个。</translation>
    </message>
    <message>
        <source>The warehouse {warehouse} has no layout yet (aisles, a front and a back cross aisle and a depot). Load a layout file on the Layout screen or with 'packdesk layout load FILE'.</source>
        <translation>仓库 {warehouse} 还没有布局（巷道、前后横向通道和出发点）。请在“仓库布局”界面或用 'packdesk layout load FILE' 载入布局文件。</translation>
    </message>
    <message>
        <source>The weight did not settle within {seconds} s. Keep the parcel still on the scale, away from fans and vibration, and try again.</source>
        <translation>重量在 {seconds} 秒内未稳定。请让包裹在秤上保持静止，远离风扇和震动，然后重试。</translation>
    </message>
    <message>
        <source>The weight from {low} g is above the weight up to {high} g. Swap them.</source>
        <translation>重量下限 {low} g 高于上限 {high} g。请互换。</translation>
    </message>
    <message>
        <source>The weight is wrong: {actual} g, expected {low}-{high} g. No label was printed. Repack and weigh again, or a supervisor scans their badge to accept it.</source>
        <translation>重量不对：{actual} 克，应为 {low}-{high} 克。没有打印面单。请重新打包再称重，或由主管扫描工牌确认。</translation>
    </message>
    <message>
        <source>The weight must be more than 0 g, not {actual} g. Weigh the parcel again.</source>
        <translation>重量必须大于 0 克，不能是 {actual} 克。请重新称重。</translation>
    </message>
    <message>
        <source>The weight tolerance floor cannot be negative.</source>
        <translation>重量容差下限不能为负数。</translation>
    </message>
    <message>
        <source>The weight tolerance is 0 to 1000 grams.</source>
        <translation>重量允许偏差为 0 到 1000 克。</translation>
    </message>
    <message>
        <source>The weight tolerance is a number of grams.</source>
        <translation>重量允许偏差须为克数。</translation>
    </message>
    <message>
        <source>The weight tolerance must be between 0 and 100 %, not {pct}.</source>
        <translation>重量容差必须在 0 到 100 % 之间，不能是 {pct}。</translation>
    </message>
    <message>
        <source>The workbook {file} has no sheet named {sheet}. Its sheets are: {sheets}.</source>
        <translation>工作簿 {file} 中没有名为 {sheet} 的工作表。现有工作表：{sheets}。</translation>
    </message>
    <message>
        <source>The {column} {value} is longer than {limit} characters.</source>
        <translation>{column} {value} 超过 {limit} 个字符。</translation>
    </message>
    <message>
        <source>The {device} on {port} did not answer within {seconds} s. Check that it is switched on, its cable, and its protocol and baud rate in the device settings.</source>
        <translation>{port} 上的{device}在 {seconds} 秒内无响应。请检查设备是否开机、数据线，以及设备设置中的通讯协议和波特率。</translation>
    </message>
    <message>
        <source>The {device} on {port} stopped answering: it was unplugged or switched off. Plug it back in; Packdesk reconnects by itself.</source>
        <translation>{port} 上的{device}停止响应：已被拔出或关机。请重新插上；Packdesk 会自动重连。</translation>
    </message>
    <message>
        <source>The {device} port {port} cannot be opened: {reason}. Check the device settings.</source>
        <translation>无法打开{device}端口 {port}：{reason}。请检查设备设置。</translation>
    </message>
    <message>
        <source>The {device} port {port} does not exist. Check that the {device} is plugged in and switched on, and that the port is right in the device settings.</source>
        <translation>{device}端口 {port} 不存在。请检查{device}已插好并开机，并在设备设置中确认端口正确。</translation>
    </message>
    <message>
        <source>The {device} port {port} is in use by another program. Close the other program (or another Packdesk window) and try again.</source>
        <translation>{device}端口 {port} 被其他程序占用。请关闭该程序（或另一个 Packdesk 窗口）后重试。</translation>
    </message>
    <message>
        <source>The {field} of the {kind} is {value!r}, not a number. Write metres, e.g. 2.5.</source>
        <translation>{kind}的 {field} 是 {value!r}，不是数字。请填写米数，例如 2.5。</translation>
    </message>
    <message>
        <source>The {field} {value} of the {kind} is longer than {limit} characters.</source>
        <translation>{kind}的 {field} {value} 超过 {limit} 个字符。</translation>
    </message>
    <message>
        <source>The {kind} for {reference} could not be drawn: {reason}. Nothing was printed; reprint it from the parcel once this is fixed.</source>
        <translation>{reference} 的{kind}无法生成：{reason}。没有打印任何内容；问题解决后请从包裹补打。</translation>
    </message>
    <message>
        <source>The {kind} has no code. Give it one.</source>
        <translation>{kind}没有编码。请填写一个。</translation>
    </message>
    <message>
        <source>The {kind} has no {field}. Give it a number in metres.</source>
        <translation>{kind}没有 {field}。请填写米数。</translation>
    </message>
    <message>
        <source>The {kind} to print is not a PDF.</source>
        <translation>要打印的 {kind} 不是 PDF。</translation>
    </message>
    <message>
        <source>The {kind} {code} is given twice (first at {first}). Keep one of them.</source>
        <translation>{kind} {code} 出现了两次（第一次在第 {first} 行）。请只保留一个。</translation>
    </message>
    <message>
        <source>The {language} print job is empty: there is no label to show. Print it again.</source>
        <translation>该 {language} 打印任务是空的：没有可显示的标签。请重新打印。</translation>
    </message>
    <message>
        <source>The {part} is {length} characters long, longer than a {part} can be: something else may have been typed into it. Correct it from the customer's address.</source>
        <translation>{part}有 {length} 个字符，超出了{part}应有的长度：可能填入了其他内容。请按客户地址改正。</translation>
    </message>
    <message>
        <source>The {what} must be a whole number of {lowest} or more, not {qty!r}.</source>
        <translation>{what}必须是不小于 {lowest} 的整数，不能是 {qty!r}。</translation>
    </message>
    <message>
        <source>The {what} must be between {low:g} and {high:g}.</source>
        <translation>{what}必须在 {low:g} 到 {high:g} 之间。</translation>
    </message>
    <message>
        <source>The {what} {value!r} is not one of: {choices}.</source>
        <translation>{what} {value!r} 不在可选项中：{choices}。</translation>
    </message>
    <message>
        <source>There is no active user {user}. Choose a picker from the list.</source>
        <translation>没有启用中的用户 {user}。请从列表中选择拣货员。</translation>
    </message>
    <message>
        <source>There is no carrier service {service}. Choose one from the list.</source>
        <translation>没有快递服务 {service}。请从列表中选择。</translation>
    </message>
    <message>
        <source>There is no carrier {carrier}.</source>
        <translation>没有承运商 {carrier}。</translation>
    </message>
    <message>
        <source>There is no carrier {carrier}. Use a carrier code from 'packdesk carriers list'.</source>
        <translation>没有承运商 {carrier}。请使用“packdesk carriers list”列出的承运商代码。</translation>
    </message>
    <message>
        <source>There is no carrier {carrier}. Use a carrier's code as the Carriers screen shows it.</source>
        <translation>没有承运商 {carrier}。请使用承运商界面上显示的代码。</translation>
    </message>
    <message>
        <source>There is no carrier {code}. Choose one from the list.</source>
        <translation>没有承运商 {code}。请从列表中选择。</translation>
    </message>
    <message>
        <source>There is no cart {cart}. Choose one of the carts, or add it first.</source>
        <translation>没有拣货车 {cart}。请选择已有的拣货车，或先添加它。</translation>
    </message>
    <message>
        <source>There is no channel called {channel}.</source>
        <translation>没有名为 {channel} 的渠道。</translation>
    </message>
    <message>
        <source>There is no channel {code}. Choose one from the list.</source>
        <translation>没有渠道 {code}。请从列表中选择。</translation>
    </message>
    <message>
        <source>There is no check called {unknown}.</source>
        <translation>没有名为 {unknown} 的审单规则。</translation>
    </message>
    <message>
        <source>There is no column profile named {name}. Choose one of: {names}.</source>
        <translation>没有名为 {name} 的列模板。请从以下模板中选择：{names}。</translation>
    </message>
    <message>
        <source>There is no database file at {where} to back up.</source>
        <translation>{where} 处没有可备份的数据库文件。</translation>
    </message>
    <message>
        <source>There is no handover {key}. Check its number (HO-...) on the manifest.</source>
        <translation>没有交接单 {key}。请核对交接清单上的单号(HO-...)。</translation>
    </message>
    <message>
        <source>There is no order {number}.</source>
        <translation>没有订单 {number}。</translation>
    </message>
    <message>
        <source>There is no order {ref}. Check the file name: it must be the order number.</source>
        <translation>没有订单 {ref}。请检查文件名：文件名必须是订单号。</translation>
    </message>
    <message>
        <source>There is no package type to print. Add one first.</source>
        <translation>没有可打印的包装类型。请先添加一个。</translation>
    </message>
    <message>
        <source>There is no package type {package}. Choose one from the list.</source>
        <translation>没有包装类型 {package}。请从列表中选择。</translation>
    </message>
    <message>
        <source>There is no phone number; carriers in {country} need one.</source>
        <translation>没有电话号码；{country} 的快递需要电话。</translation>
    </message>
    <message>
        <source>There is no pick batch {batch}. Refresh the list.</source>
        <translation>没有拣货批次 {batch}。请刷新列表。</translation>
    </message>
    <message>
        <source>There is no pick cart yet. Add a cart first, then make waves.</source>
        <translation>还没有拣货车。请先添加拣货车，再生成波次。</translation>
    </message>
    <message>
        <source>There is no return reason {code}.</source>
        <translation>没有退货原因 {code}。</translation>
    </message>
    <message>
        <source>There is no sales channel {channel}. Use one of: {channels}.</source>
        <translation>没有销售渠道 {channel}。请使用以下之一：{channels}。</translation>
    </message>
    <message>
        <source>There is no status file mapping named {name}. Choose one of: {names}, or leave the mapping out to have the columns found from the header.</source>
        <translation>没有名为 {name} 的物流状态文件映射。请从以下选择：{names}，或不指定映射，由表头自动识别列。</translation>
    </message>
    <message>
        <source>There is no unit waiting for inspection to take back: units put away stay put.</source>
        <translation>没有待检验的商品可撤销：已放置的商品保持不变。</translation>
    </message>
    <message>
        <source>There is no warehouse yet. Create the demo data or add one first.</source>
        <translation>还没有仓库。请先生成演示数据或添加一个仓库。</translation>
    </message>
    <message>
        <source>There is no warehouse yet: set one up before receiving returns.</source>
        <translation>还没有仓库：请先建立仓库再接收退货。</translation>
    </message>
    <message>
        <source>There is no wave rule {rule}. Choose one from the list.</source>
        <translation>没有波次规则 {rule}。请从列表中选择。</translation>
    </message>
    <message>
        <source>There is no wave {wave}. Check the wave number.</source>
        <translation>没有波次 {wave}。请核对波次号。</translation>
    </message>
    <message>
        <source>There is no {kind} notice in {language}.</source>
        <translation>没有{language}的{kind}通知。</translation>
    </message>
    <message>
        <source>This GS1 barcode is damaged or wrongly encoded: {detail} Scan it again; if it keeps failing, the label must be reprinted.</source>
        <translation>此 GS1 条码已损坏或编码错误：{detail} 请重新扫描；如仍失败，须重打标签。</translation>
    </message>
    <message>
        <source>This PDF is not a label: its page is {width_mm} x {height_mm} mm. Labels are at most {max_mm} mm on a side.</source>
        <translation>此 PDF 不是标签：页面为 {width_mm} x {height_mm} mm。标签每边最大 {max_mm} mm。</translation>
    </message>
    <message>
        <source>This Packdesk ({version}) must upgrade the shared database, but older Packdesk versions were in use in the last {minutes} minutes on: {stations}. They would stop working. Close Packdesk on those stations and update them first, and back up the database with 'packdesk db backup FILE'. To upgrade anyway, start Packdesk with --force-upgrade (or set PACKDESK_FORCE_UPGRADE=1).</source>
        <translation>此 Packdesk（{version}）需要升级共享数据库，但最近 {minutes} 分钟内以下工作站仍在使用旧版本 Packdesk：{stations}。升级后它们将无法工作。请先关闭这些工作站上的 Packdesk 并升级它们，并用“packdesk db backup 文件名”备份数据库。如仍要升级，请用 --force-upgrade 启动 Packdesk（或设置 PACKDESK_FORCE_UPGRADE=1）。</translation>
    </message>
    <message>
        <source>This TSPL job draws nothing and prints nothing: there is no label to show.</source>
        <translation>此 TSPL 任务没有绘制和打印任何内容：没有可显示的标签。</translation>
    </message>
    <message>
        <source>This badge belongs to another user.</source>
        <translation>此工牌属于其他用户。</translation>
    </message>
    <message>
        <source>This badge or PIN is not valid. Scan your badge again and type your PIN.</source>
        <translation>工牌或 PIN 码无效。请重新扫描工牌并输入 PIN 码。</translation>
    </message>
    <message>
        <source>This barcode stands for {units} units of {sku} but only {left} are still to verify. Scan the single units instead.</source>
        <translation>这个条码代表 {units} 件 {sku}，但只剩 {left} 件待核对。请改为逐件扫描。</translation>
    </message>
    <message>
        <source>This batch has {orders} orders but the wall has only {slots} slots. Ask a supervisor to split the wave or make the wall larger.</source>
        <translation>本批次有 {orders} 个订单，但播种墙只有 {slots} 个格口。请主管拆分波次或扩大播种墙。</translation>
    </message>
    <message>
        <source>This batch picks into one bulk tote ({tote}), which cannot be swapped during the walk: set a second tote beside it and tell a supervisor.</source>
        <translation>本批次拣入同一个汇总周转箱（{tote}），拣货途中不能更换：请在旁边放第二个周转箱并通知主管。</translation>
    </message>
    <message>
        <source>This carrier label is a ZPL file, and the station's label printer speaks {language}. Print it on a ZPL printer, or ask the carrier for a PDF label.</source>
        <translation>这张快递面单是 ZPL 文件，而本工位的标签打印机使用 {language}。请在 ZPL 打印机上打印，或向快递公司索取 PDF 面单。</translation>
    </message>
    <message>
        <source>This carrier label is a ZPL file, and this station prints on a system printer. Print it at a station with a ZPL label printer.</source>
        <translation>这张快递面单是 ZPL 文件，而本工位使用系统打印机。请到有 ZPL 标签打印机的工位打印。</translation>
    </message>
    <message>
        <source>This conflict of station {station} was resolved already by {user} at {time}. Refresh the list.</source>
        <translation>工作站 {station} 的这个冲突已由 {user} 于 {time} 处理。请刷新列表。</translation>
    </message>
    <message>
        <source>This database already holds data ({what}). Demo data only goes into a new, empty database, because it adds demo users whose passwords are published. Use a new database, for example: packdesk --db sqlite:///demo.sqlite demo-data</source>
        <translation>此数据库已有数据（{what}）。演示数据只能写入新的空数据库，因为它会添加密码公开的演示用户。请使用新数据库，例如：packdesk --db sqlite:///demo.sqlite demo-data</translation>
    </message>
    <message>
        <source>This database holds a real warehouse ({what}). The simulation adds made-up orders, so it only runs on a new, empty database or on a demo one. Use a new database, for example: packdesk --db sqlite:///shift.sqlite simulate</source>
        <translation>这个数据库里是真实的仓库（{what}）。模拟会加入虚构的订单，所以只能在新的空数据库或演示数据库上运行。请换一个新数据库，例如：packdesk --db sqlite:///shift.sqlite simulate</translation>
    </message>
    <message>
        <source>This exception of order {order} was resolved already by {user} at {time}. Refresh the list.</source>
        <translation>订单 {order} 的这条异常已由 {user} 于 {time} 处理。请刷新列表。</translation>
    </message>
    <message>
        <source>This exception was already resolved ({resolution}) by {user}. Refresh the list.</source>
        <translation>该异常已由 {user} 处理（{resolution}）。请刷新列表。</translation>
    </message>
    <message>
        <source>This file is not a picture. Choose a PNG or JPEG file.</source>
        <translation>此文件不是图片。请选择 PNG 或 JPEG 文件。</translation>
    </message>
    <message>
        <source>This is a {found} number, but the carrier's numbers are {expected}. Load it for the right carrier.</source>
        <translation>这是 {found} 单号，但该承运商的单号是 {expected}。请导入到正确的承运商。</translation>
    </message>
    <message>
        <source>This is not a {format} number: those have {shape}.</source>
        <translation>这不是 {format} 单号：这种单号为{shape}。</translation>
    </message>
    <message>
        <source>This looks like a duplicate of order {number}: same customer, same items, {hours} h apart.</source>
        <translation>疑似与订单 {number} 重复：同一客户、相同商品，相隔 {hours} 小时。</translation>
    </message>
    <message>
        <source>This lot of {sku} expired on {expiry:%Y-%m-%d}; do not put it into stock.</source>
        <translation>{sku} 的此批次已于 {expiry:%Y-%m-%d} 过期；请勿入库。</translation>
    </message>
    <message>
        <source>This mapping was given already at row {first}; the rows from here replace it.</source>
        <translation>此对应关系已在第 {first} 行给出；从这里开始的行将替换它。</translation>
    </message>
    <message>
        <source>This movement would leave {sku} at {location} below zero ({on_hand} on hand, change {delta}). Count the location before moving stock.</source>
        <translation>此操作会使 {location} 的 {sku} 库存低于零（在库 {on_hand}，变动 {delta}）。请先盘点该库位再移动库存。</translation>
    </message>
    <message>
        <source>This order is no longer open here. Scan the next tote, order or pick list.</source>
        <translation>这个订单已不在本台打包。请扫描下一个周转箱、订单或拣货单。</translation>
    </message>
    <message>
        <source>This password is too easy to guess. Choose another one.</source>
        <translation>密码太容易被猜到，请换一个。</translation>
    </message>
    <message>
        <source>This pick exception is already resolved or gone. Refresh the list.</source>
        <translation>该拣货异常已处理或已不存在。请刷新列表。</translation>
    </message>
    <message>
        <source>This print job cannot be opened as a PDF ({reason}): it is not a PDF or it was cut off. Print it again.</source>
        <translation>此打印任务无法作为 PDF 打开（{reason}）：它不是 PDF 或内容不完整。请重新打印。</translation>
    </message>
    <message>
        <source>This print job holds no TSPL label (no SIZE, CLS, TEXT or PRINT command): it is not TSPL or it was cut off. Check the printer language in the device settings and print it again.</source>
        <translation>此打印任务中没有 TSPL 标签（没有 SIZE、CLS、TEXT 或 PRINT 指令）：它不是 TSPL 或内容不完整。请在设备设置中检查打印机语言后重新打印。</translation>
    </message>
    <message>
        <source>This print job holds no ZPL label (no ^XA ... ^XZ): it is not ZPL or it was cut off. Check the printer language in the device settings and print it again.</source>
        <translation>此打印任务中没有 ZPL 标签（没有 ^XA ... ^XZ）：它不是 ZPL 或内容不完整。请在设备设置中检查打印机语言后重新打印。</translation>
    </message>
    <message>
        <source>This row is not valid CSV ({reason}); the rows after it were not read.</source>
        <translation>此行不是有效的 CSV（{reason}）；其后的行未读取。</translation>
    </message>
    <message>
        <source>This scale's indicator takes no commands from the computer. Use its own Zero or Tare key.</source>
        <translation>此电子秤仪表不接受电脑指令。请使用秤上的置零或去皮键。</translation>
    </message>
    <message>
        <source>This scan contains the control character {char} at position {position}: the scanner may be set up wrongly or its cable is faulty. Scan the barcode again.</source>
        <translation>扫描内容在位置 {position} 含有控制字符 {char}：扫码枪可能设置错误或数据线有故障。请重新扫描条码。</translation>
    </message>
    <message>
        <source>This scan could not be read: {detail} Scan the barcode again.</source>
        <translation>无法识别此次扫描：{detail} 请重新扫描条码。</translation>
    </message>
    <message>
        <source>This scan is not known here ({scanned}). {expected}</source>
        <translation>这个条码在这里无法识别（{scanned}）。{expected}</translation>
    </message>
    <message>
        <source>This scan is {length} characters long, more than any barcode here. Scan the barcode again.</source>
        <translation>此次扫描长 {length} 个字符，超过本仓任何条码的长度。请重新扫描条码。</translation>
    </message>
    <message>
        <source>Too many failed log-ins with this name or badge. Try again in {wait} (minutes:seconds), or ask a supervisor to check the account.</source>
        <translation>此用户名或工牌登录失败次数过多。请在 {wait}（分:秒）后重试，或请主管检查该账号。</translation>
    </message>
    <message>
        <source>Too many: the task needs {need} and {held} are in hand. Put the extra units back.</source>
        <translation>数量过多：任务只要 {need} 件，手上已有 {held} 件。请把多拿的放回。</translation>
    </message>
    <message>
        <source>Tote {scanned} is not empty or belongs to another order: take an empty tote and scan it.</source>
        <translation>周转箱 {scanned} 不是空箱或属于其他订单：请取一个空周转箱并扫描。</translation>
    </message>
    <message>
        <source>Tote {tote} is full: put an empty tote in its place and scan it (or CANCEL).</source>
        <translation>周转箱 {tote} 已满：请放一个空周转箱到原位并扫描它（或扫描“取消”）。</translation>
    </message>
    <message>
        <source>Tote {tote} replaces the full tote {old}.</source>
        <translation>周转箱 {tote} 已替换满箱 {old}。</translation>
    </message>
    <message>
        <source>Trying again to get the label.</source>
        <translation>正在重新获取面单。</translation>
    </message>
    <message>
        <source>Typed weights are not allowed here. Put the parcel on the scale, or ask a supervisor to allow typed weights in the packing settings.</source>
        <translation>这里不允许手动输入重量。请把包裹放到秤上，或请主管在打包设置中允许手动输入重量。</translation>
    </message>
    <message>
        <source>Units moved from order {number} to the new order {new_number}: {units}.</source>
        <translation>从订单 {number} 移到新订单 {new_number} 的件数：{units}。</translation>
    </message>
    <message>
        <source>Unknown barcode {code}. It is not a product, location, tote or order here.</source>
        <translation>未知条码 {code}。它不是本仓的商品、库位、周转箱或订单。</translation>
    </message>
    <message>
        <source>Unknown label size {code!r}. Choose one of {known}.</source>
        <translation>未知的标签尺寸 {code!r}。请从 {known} 中选择。</translation>
    </message>
    <message>
        <source>Unknown label size {label_size!r}: choose one of {sizes}.</source>
        <translation>未知的标签尺寸 {label_size!r}：请从 {sizes} 中选择。</translation>
    </message>
    <message>
        <source>Unknown locations: {codes}. Check the codes (or scan the location labels).</source>
        <translation>未知库位：{codes}。请检查编码（或扫描库位标签）。</translation>
    </message>
    <message>
        <source>Unknown placeholder {names}: use {known}.</source>
        <translation>未知占位符 {names}：请使用 {known}。</translation>
    </message>
    <message>
        <source>Unknown print format {fmt!r}.</source>
        <translation>未知的打印格式 {fmt!r}。</translation>
    </message>
    <message>
        <source>Unknown printer connection {transport!r}: choose network (tcp), serial, USB or a system printer.</source>
        <translation>未知的打印机连接方式 {transport!r}：请选择网络（tcp）、串口、USB 或系统打印机。</translation>
    </message>
    <message>
        <source>Unknown printer language {language!r}. Choose ZPL, TSPL or PDF in the device settings.</source>
        <translation>未知的打印机语言 {language!r}。请在设备设置中选择 ZPL、TSPL 或 PDF。</translation>
    </message>
    <message>
        <source>Unknown printer language {language!r}: choose ZPL, TSPL or PDF.</source>
        <translation>未知的打印机语言 {language!r}：请选择 ZPL、TSPL 或 PDF。</translation>
    </message>
    <message>
        <source>Unknown product: GTIN {gtin} is not a barcode of any product here. Put the item aside and tell a supervisor.</source>
        <translation>未知商品：GTIN {gtin} 不是本仓任何商品的条码。请把商品放到一边并告知主管。</translation>
    </message>
    <message>
        <source>Unknown scale protocol {protocol!r}. Choose MT-SICS, continuous or NCI.</source>
        <translation>未知的电子秤协议 {protocol!r}。请选择 MT-SICS、连续输出或 NCI。</translation>
    </message>
    <message>
        <source>Unknown settings in {config_file}: {unknown}.</source>
        <translation>{config_file} 中有未知的设置项：{unknown}。</translation>
    </message>
    <message>
        <source>Use the {reason} screen for this movement, not an adjustment.</source>
        <translation>此类库存变动请用{reason}界面，不要用调整。</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Wave {wave} is being picked: it can no longer be cancelled, re-planned or split. Free its batches on this screen first if nothing has been picked yet.</source>
        <translation>波次 {wave} 正在拣货：已不能取消、重新规划或拆分。如果还什么都没拣，请先在本界面释放它的批次。</translation>
    </message>
    <message>
        <source>Wave {wave} is {status}, not released: it has no pick list yet. Release the wave first, then print its pick list.</source>
        <translation>波次 {wave} 的状态是{status}，尚未下发：还没有拣货单。请先下发波次，再打印拣货单。</translation>
    </message>
    <message>
        <source>Wave {wave} is {status}: it can no longer be changed.</source>
        <translation>波次 {wave} 的状态是 {status}：已不能再修改。</translation>
    </message>
    <message>
        <source>Wave {wave} is {status}; only a planned wave can be released.</source>
        <translation>波次 {wave} 的状态是 {status}；只有已规划的波次才能下发。</translation>
    </message>
    <message>
        <source>Weight {actual} g accepted by {supervisor}.</source>
        <translation>重量 {actual} 克已由 {supervisor} 确认。</translation>
    </message>
    <message>
        <source>Weight {value} g is above the rule's {limit} g.</source>
        <translation>重量 {value} g 高于规则的 {limit} g。</translation>
    </message>
    <message>
        <source>Weight {value} g is below the rule's {limit} g.</source>
        <translation>重量 {value} g 低于规则的 {limit} g。</translation>
    </message>
    <message>
        <source>Write each line as word; country; carrier (for example PO Box; US; USPS), not {line}.</source>
        <translation>每行请写成 词; 国家; 快递公司（例如 PO Box; US; USPS），而不是 {line}。</translation>
    </message>
    <message>
        <source>Write what was done about it before resolving it.</source>
        <translation>请先填写处理结果，再标记为已处理。</translation>
    </message>
    <message>
        <source>Wrong item: {code} is not in this order. Put it aside and scan the next item.</source>
        <translation>错误商品：{code} 不在此订单中。请放到一边，扫描下一件商品。</translation>
    </message>
    <message>
        <source>Wrong location: you scanned {scanned}. Go to {location} and scan it.</source>
        <translation>库位错误：您扫描的是 {scanned}。请到 {location} 并扫描。</translation>
    </message>
    <message>
        <source>Wrong lot: {scanned} may not be taken here. Take lot {lot} of {sku}.</source>
        <translation>批号错误：这里不能拣 {scanned}。请拣 {sku} 的批号 {lot}。</translation>
    </message>
    <message>
        <source>Wrong product: you scanned {scanned}. Take {sku} from {location}.</source>
        <translation>商品错误：您扫描的是 {scanned}。请从 {location} 取 {sku}。</translation>
    </message>
    <message>
        <source>Wrong slot: this {sku} goes into slot {expected}, not slot {scanned}. Take it out of slot {scanned}, put it into slot {expected} and scan that slot.</source>
        <translation>格口错误：这件 {sku} 应放入格口 {expected}，不是格口 {scanned}。请从格口 {scanned} 取出，放入格口 {expected} 并扫该格口。</translation>
    </message>
    <message>
        <source>Wrong tote: you scanned {scanned}. Put the units into tote {tote}.</source>
        <translation>周转箱错误：您扫描的是 {scanned}。请放入周转箱 {tote}。</translation>
    </message>
    <message>
        <source>Wrong user name or password. Check them and try again.</source>
        <translation>用户名或密码错误。请检查后重试。</translation>
    </message>
    <message>
        <source>YT and 13 digits</source>
        <translation>YT 加 13 位数字</translation>
    </message>
    <message>
        <source>You cannot disable your own account.</source>
        <translation>不能停用自己的账号。</translation>
    </message>
    <message>
        <source>You hold {held} units: put them into tote {tote} (scan the tote) first.</source>
        <translation>您手上有 {held} 件：请先放入周转箱 {tote}（扫描周转箱）。</translation>
    </message>
    <message>
        <source>ZIP code</source>
        <translation>ZIP 邮编</translation>
    </message>
    <message>
        <source>a location</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>a product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>a user badge</source>
        <translation>员工工牌</translation>
    </message>
    <message>
        <source>accept a parcel whose weight is wrong</source>
        <translation>放行重量不符的包裹</translation>
    </message>
    <message>
        <source>adjust stock</source>
        <translation>调整库存</translation>
    </message>
    <message>
        <source>aisle</source>
        <translation>巷道</translation>
    </message>
    <message>
        <source>all checks passed</source>
        <translation>审单全部通过</translation>
    </message>
    <message>
        <source>allocate stock</source>
        <translation>分配库存</translation>
    </message>
    <message>
        <source>an order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>area</source>
        <translation>地区</translation>
    </message>
    <message>
        <source>authorized</source>
        <translation>已授权</translation>
    </message>
    <message>
        <source>backorder</source>
        <translation>缺货待发单</translation>
    </message>
    <message>
        <source>cancel orders</source>
        <translation>取消订单</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>cancelled in the channel while {stage}: stop and put back</source>
        <translation>渠道已取消（当时状态：{stage}）：停止并放回</translation>
    </message>
    <message>
        <source>cancelled in the channel; reserved stock given back</source>
        <translation>已在渠道中取消；预留库存已退回</translation>
    </message>
    <message>
        <source>change carriers, shipping rules and package types</source>
        <translation>修改快递公司、发货规则和包装类型</translation>
    </message>
    <message>
        <source>change settings</source>
        <translation>修改设置</translation>
    </message>
    <message>
        <source>change station devices</source>
        <translation>修改工作站设备</translation>
    </message>
    <message>
        <source>changed in {file} row {row}</source>
        <translation>在 {file} 第 {row} 行中有变更</translation>
    </message>
    <message>
        <source>checked again</source>
        <translation>重新审核</translation>
    </message>
    <message>
        <source>checks: all pass</source>
        <translation>审单：全部通过</translation>
    </message>
    <message>
        <source>checks: {codes}</source>
        <translation>审单：{codes}</translation>
    </message>
    <message>
        <source>city</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>claiming new work</source>
        <translation>领取新任务</translation>
    </message>
    <message>
        <source>closing a handover</source>
        <translation>关闭交接单</translation>
    </message>
    <message>
        <source>collected by the customer at the pickup counter (slot {slot})</source>
        <translation>顾客已在自提柜台取走（货位 {slot}）</translation>
    </message>
    <message>
        <source>company</source>
        <translation>公司</translation>
    </message>
    <message>
        <source>counted quantity</source>
        <translation>盘点数量</translation>
    </message>
    <message>
        <source>county</source>
        <translation>郡</translation>
    </message>
    <message>
        <source>created by an import</source>
        <translation>由导入创建</translation>
    </message>
    <message>
        <source>cross aisle</source>
        <translation>横向通道</translation>
    </message>
    <message>
        <source>damaged</source>
        <translation>破损</translation>
    </message>
    <message>
        <source>damaged in transit</source>
        <translation>运输破损</translation>
    </message>
    <message>
        <source>data bits</source>
        <translation>数据位</translation>
    </message>
    <message>
        <source>deallocated, {units} units given back</source>
        <translation>已取消分配，释放 {units} 件</translation>
    </message>
    <message>
        <source>defective</source>
        <translation>质量问题</translation>
    </message>
    <message>
        <source>delivered (签收)</source>
        <translation>已签收</translation>
    </message>
    <message>
        <source>delivered (签收) at {time}</source>
        <translation>已签收（签收时间 {time}）</translation>
    </message>
    <message>
        <source>department</source>
        <translation>省（département）</translation>
    </message>
    <message>
        <source>depot</source>
        <translation>出发点</translation>
    </message>
    <message>
        <source>district</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>document printer</source>
        <translation>文档打印机</translation>
    </message>
    <message>
        <source>edit orders</source>
        <translation>编辑订单</translation>
    </message>
    <message>
        <source>edited by the reviewer</source>
        <translation>审单员已修改</translation>
    </message>
    <message>
        <source>emirate</source>
        <translation>酋长国</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>货位空</translation>
    </message>
    <message>
        <source>every order of it is already sorted</source>
        <translation>它的所有订单都已分拣完毕</translation>
    </message>
    <message>
        <source>finish packing it, or release it</source>
        <translation>请完成打包或释放该订单</translation>
    </message>
    <message>
        <source>handed over to {carrier} on {handover}</source>
        <translation>已交接给 {carrier},交接单 {handover}</translation>
    </message>
    <message>
        <source>handle returns</source>
        <translation>处理退货</translation>
    </message>
    <message>
        <source>handover {handover} reopened: {reason}</source>
        <translation>交接单 {handover} 已重新打开:{reason}</translation>
    </message>
    <message>
        <source>held by the order checks</source>
        <translation>审单规则挂起</translation>
    </message>
    <message>
        <source>import orders</source>
        <translation>导入订单</translation>
    </message>
    <message>
        <source>imported from the channel</source>
        <translation>从渠道导入</translation>
    </message>
    <message>
        <source>imported from {file} row {row}</source>
        <translation>从 {file} 第 {row} 行导入</translation>
    </message>
    <message>
        <source>island</source>
        <translation>岛</translation>
    </message>
    <message>
        <source>it is held: put it aside for a supervisor</source>
        <translation>订单被暂停：请放到一边交给主管</translation>
    </message>
    <message>
        <source>it is not picked as single-unit orders</source>
        <translation>它不是按一单一品拣货的</translation>
    </message>
    <message>
        <source>it is not picked to be sorted (pick then sort)</source>
        <translation>它不是先拣后播的批次</translation>
    </message>
    <message>
        <source>it is not picked yet</source>
        <translation>它还没有拣完</translation>
    </message>
    <message>
        <source>its label could not be made: scan READ to try again</source>
        <translation>面单未能生成：请扫描“读取”重试</translation>
    </message>
    <message>
        <source>its weight is wrong: repack and weigh again, or a supervisor scans their badge</source>
        <translation>重量不对：请重新打包并称重，或由主管扫描工牌确认</translation>
    </message>
    <message>
        <source>kept offline for more than {days} days</source>
        <translation>离线保存超过 {days} 天</translation>
    </message>
    <message>
        <source>label printer</source>
        <translation>标签打印机</translation>
    </message>
    <message>
        <source>label size</source>
        <translation>标签尺寸</translation>
    </message>
    <message>
        <source>lines mapped to products</source>
        <translation>行已对应到商品</translation>
    </message>
    <message>
        <source>location</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>manage customer notices</source>
        <translation>管理顾客通知</translation>
    </message>
    <message>
        <source>manage users</source>
        <translation>管理用户</translation>
    </message>
    <message>
        <source>merged into {number}</source>
        <translation>已合并到 {number}</translation>
    </message>
    <message>
        <source>merged orders brought hold reasons</source>
        <translation>合并的订单带来了挂起原因</translation>
    </message>
    <message>
        <source>neighbourhood</source>
        <translation>街区</translation>
    </message>
    <message>
        <source>no longer wanted</source>
        <translation>不想要了</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>找不到</translation>
    </message>
    <message>
        <source>not inspected</source>
        <translation>未检验</translation>
    </message>
    <message>
        <source>oblast</source>
        <translation>州（oblast）</translation>
    </message>
    <message>
        <source>pack</source>
        <translation>打包</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>已付款</translation>
    </message>
    <message>
        <source>paper size</source>
        <translation>纸张大小</translation>
    </message>
    <message>
        <source>parish</source>
        <translation>教区</translation>
    </message>
    <message>
        <source>parity</source>
        <translation>校验位</translation>
    </message>
    <message>
        <source>partially_paid</source>
        <translation>部分付款</translation>
    </message>
    <message>
        <source>partially_refunded</source>
        <translation>部分退款</translation>
    </message>
    <message>
        <source>pause between keys (ms)</source>
        <translation>按键间隔（毫秒）</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待付款</translation>
    </message>
    <message>
        <source>pg_dump was not found on this PC, so the shared database cannot be backed up from here. Install the PostgreSQL client tools (the same major version as the server) and put pg_dump on the PATH, or back up on the database server with pg_dump.</source>
        <translation>本机上找不到 pg_dump，因此无法从这里备份共享数据库。请安装 PostgreSQL 客户端工具（与服务器主版本相同）并将 pg_dump 加入 PATH，或在数据库服务器上用 pg_dump 备份。</translation>
    </message>
    <message>
        <source>phone number</source>
        <translation>电话号码</translation>
    </message>
    <message>
        <source>pick</source>
        <translation>拣货</translation>
    </message>
    <message>
        <source>picking</source>
        <translation>拣货</translation>
    </message>
    <message>
        <source>plan waves</source>
        <translation>计划波次</translation>
    </message>
    <message>
        <source>post town</source>
        <translation>邮政城镇</translation>
    </message>
    <message>
        <source>postal code</source>
        <translation>邮编</translation>
    </message>
    <message>
        <source>prefecture</source>
        <translation>都道府县</translation>
    </message>
    <message>
        <source>print labels</source>
        <translation>打印标签</translation>
    </message>
    <message>
        <source>printed while the shared database was away</source>
        <translation>已在共享数据库断开期间打印</translation>
    </message>
    <message>
        <source>printer baud rate</source>
        <translation>打印机波特率</translation>
    </message>
    <message>
        <source>printer connection</source>
        <translation>打印机连接方式</translation>
    </message>
    <message>
        <source>printer language</source>
        <translation>打印机语言</translation>
    </message>
    <message>
        <source>printer resolution</source>
        <translation>打印机分辨率</translation>
    </message>
    <message>
        <source>province</source>
        <translation>省份</translation>
    </message>
    <message>
        <source>province (do/si)</source>
        <translation>道/市</translation>
    </message>
    <message>
        <source>put it on the scale</source>
        <translation>请放到秤上</translation>
    </message>
    <message>
        <source>quantity received</source>
        <translation>入库数量</translation>
    </message>
    <message>
        <source>quantity to move</source>
        <translation>移库数量</translation>
    </message>
    <message>
        <source>quantity to reserve</source>
        <translation>预占数量</translation>
    </message>
    <message>
        <source>quarantine</source>
        <translation>隔离</translation>
    </message>
    <message>
        <source>readings that must agree</source>
        <translation>须一致的读数次数</translation>
    </message>
    <message>
        <source>recipient name</source>
        <translation>收件人姓名</translation>
    </message>
    <message>
        <source>refunded</source>
        <translation>已退款</translation>
    </message>
    <message>
        <source>refused on delivery</source>
        <translation>拒收</translation>
    </message>
    <message>
        <source>release or hold orders</source>
        <translation>放行或挂起订单</translation>
    </message>
    <message>
        <source>released after review</source>
        <translation>审核后放行</translation>
    </message>
    <message>
        <source>released by reviewer</source>
        <translation>审单员放行</translation>
    </message>
    <message>
        <source>reopen a closed carrier handover</source>
        <translation>重新打开已关闭的交接单</translation>
    </message>
    <message>
        <source>reprint labels</source>
        <translation>重打标签</translation>
    </message>
    <message>
        <source>resolve conflicts of offline stations</source>
        <translation>处理离线工作站的冲突</translation>
    </message>
    <message>
        <source>resolve delivery exceptions</source>
        <translation>处理物流异常</translation>
    </message>
    <message>
        <source>restock</source>
        <translation>重新上架</translation>
    </message>
    <message>
        <source>returned {units} of {shipped} units: {reasons}</source>
        <translation>退回 {units} 件（共发出 {shipped} 件）：{reasons}</translation>
    </message>
    <message>
        <source>scale</source>
        <translation>电子秤</translation>
    </message>
    <message>
        <source>scale baud rate</source>
        <translation>电子秤波特率</translation>
    </message>
    <message>
        <source>scale protocol</source>
        <translation>电子秤协议</translation>
    </message>
    <message>
        <source>scale timeout (s)</source>
        <translation>电子秤超时（秒）</translation>
    </message>
    <message>
        <source>scan the serial number on the unit</source>
        <translation>请扫描商品上的序列号</translation>
    </message>
    <message>
        <source>scanner</source>
        <translation>扫码枪</translation>
    </message>
    <message>
        <source>scanner baud rate</source>
        <translation>扫码枪波特率</translation>
    </message>
    <message>
        <source>scanner mode</source>
        <translation>扫码枪模式</translation>
    </message>
    <message>
        <source>scanning parcels onto a handover</source>
        <translation>把包裹扫入交接单</translation>
    </message>
    <message>
        <source>second address line</source>
        <translation>地址第二行</translation>
    </message>
    <message>
        <source>see customers' personal data</source>
        <translation>查看客户个人信息</translation>
    </message>
    <message>
        <source>see the dashboard</source>
        <translation>查看看板</translation>
    </message>
    <message>
        <source>ship an order partly</source>
        <translation>部分发货</translation>
    </message>
    <message>
        <source>ship parcels</source>
        <translation>发货</translation>
    </message>
    <message>
        <source>shortest scan</source>
        <translation>最短扫码长度</translation>
    </message>
    <message>
        <source>split by availability</source>
        <translation>按库存拆分</translation>
    </message>
    <message>
        <source>split by lines</source>
        <translation>按明细拆分</translation>
    </message>
    <message>
        <source>state</source>
        <translation>州</translation>
    </message>
    <message>
        <source>stop bits</source>
        <translation>停止位</translation>
    </message>
    <message>
        <source>street address</source>
        <translation>详细地址</translation>
    </message>
    <message>
        <source>suburb</source>
        <translation>郊区</translation>
    </message>
    <message>
        <source>the pack session it belongs to was not applied</source>
        <translation>它所属的打包会话未被应用</translation>
    </message>
    <message>
        <source>tick items off without scanning them</source>
        <translation>不扫描直接确认商品</translation>
    </message>
    <message>
        <source>townland</source>
        <translation>镇区</translation>
    </message>
    <message>
        <source>tracking {tracking}</source>
        <translation>运单号 {tracking}</translation>
    </message>
    <message>
        <source>two letters, 8 digits, a check digit and a two-letter country code</source>
        <translation>两个字母、8 位数字、1 位校验位和两个字母的国家代码</translation>
    </message>
    <message>
        <source>unpack parcels or void labels</source>
        <translation>拆包或作废面单</translation>
    </message>
    <message>
        <source>unpaid</source>
        <translation>未付款</translation>
    </message>
    <message>
        <source>updated from the channel</source>
        <translation>已从渠道更新</translation>
    </message>
    <message>
        <source>view orders</source>
        <translation>查看订单</translation>
    </message>
    <message>
        <source>village or township</source>
        <translation>村镇</translation>
    </message>
    <message>
        <source>voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>warehouse</source>
        <translation>仓库</translation>
    </message>
    <message>
        <source>write off</source>
        <translation>报废</translation>
    </message>
    <message>
        <source>wrong item sent</source>
        <translation>发错货</translation>
    </message>
    <message>
        <source>wrong size</source>
        <translation>尺码不合适</translation>
    </message>
    <message>
        <source>zone</source>
        <translation>库区</translation>
    </message>
    <message>
        <source>{action} is not an action of shipping rules: set, hold or stop.</source>
        <translation>{action} 不是发货规则的动作：只能是 set（设置）、hold（暂停）或 stop（停止）。</translation>
    </message>
    <message>
        <source>{actual} g taken for parcel {seq}. Scan the rest of the items.</source>
        <translation>包裹 {seq} 已记录 {actual} 克。请扫描其余商品。</translation>
    </message>
    <message>
        <source>{channel} did not take the tracking of order {order}: {detail}</source>
        <translation>{channel} 未接收订单 {order} 的物流信息：{detail}</translation>
    </message>
    <message>
        <source>{code} is both the source and the target of the move.</source>
        <translation>{code} 既是移库来源又是目标。</translation>
    </message>
    <message>
        <source>{code} is not a product here. Put it aside and scan an item of this order.</source>
        <translation>{code} 不是这里的商品。请放到一边，扫描本订单的商品。</translation>
    </message>
    <message>
        <source>{code} is not a product. Scan a unit from the tote of batch {batch}.</source>
        <translation>{code} 不是商品。请从批次 {batch} 的周转箱中扫描一件商品。</translation>
    </message>
    <message>
        <source>{code} is not a return reason in use: choose one from the list.</source>
        <translation>{code} 不是在用的退货原因：请从列表中选择。</translation>
    </message>
    <message>
        <source>{code} is not a slot of this wall. Scan a unit, or the barcode of a slot.</source>
        <translation>{code} 不是这面墙的格口。请扫商品或格口条码。</translation>
    </message>
    <message>
        <source>{code} is not a two-letter country code (for example CN or US).</source>
        <translation>{code} 不是两位字母的国家代码（例如 CN 或 US）。</translation>
    </message>
    <message>
        <source>{condition} is not a condition of shipping rules.</source>
        <translation>{condition} 不是发货规则的条件。</translation>
    </message>
    <message>
        <source>{country} is not a country code: the last two letters of a {format} number name the country that issued it.</source>
        <translation>{country} 不是国家代码：{format} 单号的最后两个字母是签发国家的代码。</translation>
    </message>
    <message>
        <source>{detail}</source>
        <translation>{detail}</translation>
    </message>
    <message>
        <source>{disposition} is not a way to put a return away: restock, quarantine or write_off.</source>
        <translation>{disposition} 不是退货处理方式：请用重新上架、隔离或报废。</translation>
    </message>
    <message>
        <source>{encoding} is not an encoding Packdesk knows. Choose UTF-8 or GB18030.</source>
        <translation>Packdesk 不支持编码 {encoding}。请选择 UTF-8 或 GB18030。</translation>
    </message>
    <message>
        <source>{field} is not a field of a tracking file. Use one of: {fields}.</source>
        <translation>{field} 不是发货文件的字段。请使用以下之一：{fields}。</translation>
    </message>
    <message>
        <source>{file_type} is not a file type: use csv or xlsx.</source>
        <translation>{file_type} 不是文件类型：请用 csv 或 xlsx。</translation>
    </message>
    <message>
        <source>{file} is the items file of a Taobao export; its orders and addresses are in the order list (ExportOrderList...). Put both files in one folder and import the order list.</source>
        <translation>{file} 是淘宝导出的宝贝报表；订单和收货地址在订单报表（ExportOrderList…）中。请把两个文件放在同一文件夹，然后导入订单报表。</translation>
    </message>
    <message>
        <source>{folder} is not a folder.</source>
        <translation>{folder} 不是文件夹。</translation>
    </message>
    <message>
        <source>{format} is not a tracking file format. Use one of: {formats}.</source>
        <translation>{format} 不是发货文件格式。请使用以下之一：{formats}。</translation>
    </message>
    <message>
        <source>{format} is not a tracking-number format Packdesk knows. Choose one of: {formats}.</source>
        <translation>Packdesk 不认识单号格式 {format}。请选择其中之一：{formats}。</translation>
    </message>
    <message>
        <source>{held} in hand: put them into tote {tote} and scan the tote.</source>
        <translation>手上 {held} 件：请放入周转箱 {tote} 并扫描周转箱。</translation>
    </message>
    <message>
        <source>{held} of {need} in hand.</source>
        <translation>已拿 {held}/{need} 件。</translation>
    </message>
    <message>
        <source>{held} of {need} in hand: scan the next unit or the quantity.</source>
        <translation>已拿 {held}/{need} 件：请扫描下一件或数量条码。</translation>
    </message>
    <message>
        <source>{key!r} is not part of a layout file. Use [warehouse], [[aisle]], [[cross_aisle]], [[depot]], [[zone]] and [[location]].</source>
        <translation>{key!r} 不是布局文件的内容。请使用 [warehouse]、[[aisle]]、[[cross_aisle]]、[[depot]]、[[zone]] 和 [[location]]。</translation>
    </message>
    <message>
        <source>{kind!r} is not a kind of layout entry. Use aisle, cross_aisle, depot, zone or location.</source>
        <translation>{kind!r} 不是布局条目的类型。请使用 aisle、cross_aisle、depot、zone 或 location。</translation>
    </message>
    <message>
        <source>{kind} is not a kind of order: any, single or multi.</source>
        <translation>{kind} 不是订单类型：请用 any、single 或 multi。</translation>
    </message>
    <message>
        <source>{kind} is not a notice kind: use shipped or delivered.</source>
        <translation>{kind} 不是通知类型：请使用 shipped 或 delivered。</translation>
    </message>
    <message>
        <source>{language} is not a notice language: use en or zh.</source>
        <translation>{language} 不是通知语言：请使用 en 或 zh。</translation>
    </message>
    <message>
        <source>{location} is a {kind} location: restock into a pickable or storage location, or scan QUARANTINE.</source>
        <translation>{location} 是{kind}库位：请上架到拣货位或存储位，或扫描「隔离」。</translation>
    </message>
    <message>
        <source>{method} is not a pick method: cluster, single_unit or pick_sort.</source>
        <translation>{method} 不是拣货方式：请用 cluster、single_unit 或 pick_sort。</translation>
    </message>
    <message>
        <source>{number} is already in the pool of {carrier}; it was not loaded again.</source>
        <translation>{number} 已在 {carrier} 的单号池中，未重复导入。</translation>
    </message>
    <message>
        <source>{number} is in the file twice (first at row {first}); it was loaded once.</source>
        <translation>{number} 在文件中出现两次（第一次在第 {first} 行）；只导入一次。</translation>
    </message>
    <message>
        <source>{plugin} is not a channel plug-in on this computer. Use one of: {plugins}.</source>
        <translation>{plugin} 不是这台电脑上的渠道插件。请使用以下之一：{plugins}。</translation>
    </message>
    <message>
        <source>{policy} is not a masking policy. Choose ewaybill, full_name or none.</source>
        <translation>{policy} 不是有效的脱敏方式。请选择 ewaybill、full_name 或 none。</translation>
    </message>
    <message>
        <source>{port} is not a port number.</source>
        <translation>{port} 不是有效的端口号。</translation>
    </message>
    <message>
        <source>{qty} put into tote {tote}.</source>
        <translation>已放入周转箱 {tote}：{qty} 件。</translation>
    </message>
    <message>
        <source>{scanned} is the full tote: take an empty tote and scan it.</source>
        <translation>{scanned} 是已满的周转箱：请取一个空周转箱并扫描。</translation>
    </message>
    <message>
        <source>{sku} belongs to order {other}, not to order {order}. Put it back with order {other} and scan an item of this order.</source>
        <translation>{sku} 属于订单 {other}，不属于订单 {order}。请放回订单 {other}，扫描本订单的商品。</translation>
    </message>
    <message>
        <source>{sku} has an expiry date: give the lot's expiry date.</source>
        <translation>{sku} 有保质期：请填写该批次的到期日期。</translation>
    </message>
    <message>
        <source>{sku} has serial numbers: scan the serial number on the item.</source>
        <translation>{sku} 有序列号：请扫描商品上的序列号。</translation>
    </message>
    <message>
        <source>{sku} is lot-tracked: scan or type the lot number.</source>
        <translation>{sku} 按批次管理：请扫描或输入批次号。</translation>
    </message>
    <message>
        <source>{sku} is lot-tracked: scan the barcode with its lot.</source>
        <translation>{sku} 按批号管理：请扫描带批号的条码。</translation>
    </message>
    <message>
        <source>{sku} is not a known product; it cannot be reserved.</source>
        <translation>{sku} 不是已建档商品，无法预占。</translation>
    </message>
    <message>
        <source>{sku} is not in order {order}. Put it aside and scan an item of this order.</source>
        <translation>{sku} 不在订单 {order} 中。请放到一边，扫描本订单的商品。</translation>
    </message>
    <message>
        <source>{sku} is not lot-tracked; leave the lot empty (it was {lot}).</source>
        <translation>{sku} 不按批次管理；批次请留空（填的是 {lot}）。</translation>
    </message>
    <message>
        <source>{sku} needs its serial number: scan the serial barcode of each unit.</source>
        <translation>{sku} 需要序列号：请逐件扫描序列号条码。</translation>
    </message>
    <message>
        <source>{sku} needs its serial number: scan the serial on the unit.</source>
        <translation>{sku} 需要序列号：请扫描商品上的序列号。</translation>
    </message>
    <message>
        <source>{sku} of lot {lot} was scanned, but the units picked for this order are of lot {expected}. Put it aside and take the unit of lot {expected}.</source>
        <translation>扫描的 {sku} 批次为 {lot}，但本订单拣出的是批次 {expected}。请放到一边，换批次 {expected} 的商品。</translation>
    </message>
    <message>
        <source>{sku} taken back ({reason}): scan the location to restock it, or QUARANTINE or WRITE OFF.</source>
        <translation>{sku} 已退回（{reason}）：请扫描上架库位，或扫描「隔离」/「报废」。</translation>
    </message>
    <message>
        <source>{sku} verified ({done} of {qty}). Scan the next item.</source>
        <translation>{sku} 已核对（{done}/{qty}）。请扫描下一件商品。</translation>
    </message>
    <message>
        <source>{sku} was not shipped on order {order}: check the item.</source>
        <translation>订单 {order} 没有发出 {sku}：请核对商品。</translation>
    </message>
    <message>
        <source>{text} is not a shipped parcel, an order number or a channel order id here. Scan the tracking number on the parcel, the return label or the order number.</source>
        <translation>{text} 不是已发出的包裹、订单号或平台订单号。请扫描包裹上的快递单号、退货标签或订单号。</translation>
    </message>
    <message>
        <source>{text} names {count} orders: scan the order number or the return label instead.</source>
        <translation>{text} 对应 {count} 个订单：请改为扫描订单号或退货标签。</translation>
    </message>
    <message>
        <source>{units} of {sku} ticked off by hand.</source>
        <translation>{sku} 已手工确认 {units} 件。</translation>
    </message>
    <message>
        <source>{units} units put in quarantine ({location}).</source>
        <translation>{units} 件已放入隔离区（{location}）。</translation>
    </message>
    <message>
        <source>{units} units restocked into {location}.</source>
        <translation>{units} 件已重新上架到 {location}。</translation>
    </message>
    <message>
        <source>{units} units written off as damaged.</source>
        <translation>{units} 件已作为损坏报废。</translation>
    </message>
    <message>
        <source>{user} ({role}) may not accept a wrong weight. Scan a supervisor's badge.</source>
        <translation>{user}（{role}）无权确认异常重量。请扫描主管的工牌。</translation>
    </message>
    <message>
        <source>{user} ({role}) may not {action}. Ask a supervisor.</source>
        <translation>{user}（{role}）无权{action}。请联系主管。</translation>
    </message>
    <message>
        <source>{user} may not {action}. Ask a supervisor.</source>
        <translation>{user} 无权{action}。请联系主管。</translation>
    </message>
    <message>
        <source>{user}'s account is disabled: their badge cannot accept the weight.</source>
        <translation>{user} 的账号已停用：其工牌不能确认重量。</translation>
    </message>
    <message>
        <source>{what} {key} was not found.</source>
        <translation>未找到{what} {key}。</translation>
    </message>
    <message>
        <source>{why}: all checks pass</source>
        <translation>{why}：审单全部通过</translation>
    </message>
    <message>
        <source>{why}: {codes}</source>
        <translation>{why}：{codes}</translation>
    </message>
    <message>
        <source>opted out (customer)</source>
        <extracomment>the reasons written in app/ that are not errors (hold_text translates them in this context)</extracomment>
        <translation>已退订（顾客）</translation>
    </message>
    <message>
        <source>opted out (channel)</source>
        <translation>已退订（渠道）</translation>
    </message>
    <message>
        <source>cancelled by {user}</source>
        <translation>由 {user} 取消</translation>
    </message>
    <message>
        <source>personal data purged</source>
        <translation>个人信息已清除</translation>
    </message>
    <message>
        <source>Order {order}: {action} was done on station {station} at {at} while the shared database was away, but the shared database refused it: {reason}</source>
        <extracomment>the replayer's conflict sentences (app/offline/replay.py), for translation</extracomment>
        <translation>订单 {order}：共享数据库断开期间，工作站 {station} 于 {at} {action}，但共享数据库拒绝了该操作：{reason}</translation>
    </message>
</context>
<context>
    <name>PackingSection</name>
    <message>
        <source>Packing settings</source>
        <translation>打包设置</translation>
    </message>
    <message>
        <source>The weight check at the pack station, what a station may do without a scale or a full scan, and the packing slip. The same settings are on the Packaging screen.</source>
        <translation>打包台的称重检查、没有电子秤或未全部扫描时工作站可以做什么，以及装箱单。包装界面上也有同样的设置。</translation>
    </message>
</context>
<context>
    <name>PartsEditor</name>
    <message>
        <source>Apply to all held orders with this listing</source>
        <translation>应用到含此平台商品的所有挂起订单</translation>
    </message>
    <message>
        <source>Product name or SKU, or scan its barcode</source>
        <extracomment>the hits of a search are on screen (tests wait for it) a product was added to the parts (ProductHit) Enter in the empty search box: the dialog saves</extracomment>
        <translation>输入商品名称或 SKU，或扫描条码</translation>
    </message>
    <message>
        <source>Enter adds the highlighted product; ↑ ↓ choose another.</source>
        <translation>按回车添加选中的商品；↑ ↓ 选择其他商品。</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Units per listing</source>
        <translation>每件平台商品对应数量</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>No product yet: search above and press Enter to add one.</source>
        <translation>还没有商品：在上方搜索，按回车添加。</translation>
    </message>
    <message>
        <source>Find our product</source>
        <translation>查找我方商品</translation>
    </message>
    <message>
        <source>One unit of the listing is:</source>
        <translation>一件平台商品等于：</translation>
    </message>
    <message>
        <source>No product has the name, SKU or barcode “{text}”.</source>
        <translation>没有名称、SKU 或条码为“{text}”的商品。</translation>
    </message>
    <message>
        <source>No product has the barcode “{text}”; choose one below.</source>
        <translation>没有条码为“{text}”的商品；请在下方选择。</translation>
    </message>
    <message>
        <source>Added {product}. Add another product, or press Enter to save.</source>
        <translation>已添加 {product}。可继续添加商品，或按回车保存。</translation>
    </message>
</context>
<context>
    <name>PickScreen</name>
    <message>
        <source>Pick</source>
        <translation>拣货</translation>
    </message>
    <message>
        <source>Get work</source>
        <extracomment>counts the views shown from scans: a live reload that started before one is stale</extracomment>
        <translation>领取任务</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Short</source>
        <translation>缺货</translation>
    </message>
    <message>
        <source>Empty</source>
        <translation>货位空</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>破损</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>找不到</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>No work now. Scan NEXT or press Get work to look again.</source>
        <translation>现在没有任务。请扫描“下一个”或按“领取任务”再查一次。</translation>
    </message>
    <message>
        <source>Batch {batch}: go to the first location.</source>
        <translation>批次 {batch}：请到第一个库位。</translation>
    </message>
    <message>
        <source>No batch in hand: scan NEXT or press Get work.</source>
        <translation>手上没有批次：请扫描“下一个”或按“领取任务”。</translation>
    </message>
    <message>
        <source>Batch done: take the cart to the sort wall.</source>
        <translation>本批次已拣完：请把拣货车推到播种墙。</translation>
    </message>
    <message>
        <source>Batch done: take the cart to the pack benches.</source>
        <translation>本批次已拣完：请把拣货车推到打包台。</translation>
    </message>
    <message>
        <source>No batch</source>
        <translation>没有批次</translation>
    </message>
    <message>
        <source>Scan NEXT or press Get work.</source>
        <translation>请扫描“下一个”或按“领取任务”。</translation>
    </message>
    <message>
        <source>Batch {batch}</source>
        <translation>批次 {batch}</translation>
    </message>
    <message>
        <source>Then scan NEXT (or press Get work) for more work.</source>
        <translation>然后扫描“下一个”（或按“领取任务”）领取新任务。</translation>
    </message>
    <message>
        <source>GO TO (skipped before)</source>
        <translation>请到（之前跳过的）</translation>
    </message>
    <message>
        <source>GO TO</source>
        <translation>请到</translation>
    </message>
    <message>
        <source>Take {qty}</source>
        <translation>取 {qty} 件</translation>
    </message>
    <message>
        <source>({held} in hand)</source>
        <translation>（手上 {held} 件）</translation>
    </message>
    <message>
        <source>Lot {lot}</source>
        <translation>批号 {lot}</translation>
    </message>
    <message>
        <source> (slot {slot})</source>
        <translation>（第 {slot} 格）</translation>
    </message>
    <message>
        <source>Tote {tote}</source>
        <translation>周转箱 {tote}</translation>
    </message>
    <message>
        <source>{done} of {total} tasks · {walked:.0f} of {planned:.0f} m · {time}</source>
        <translation>任务 {done}/{total} · 已走 {walked:.0f}/{planned:.0f} 米 · {time}</translation>
    </message>
</context>
<context>
    <name>PickupScreen</name>
    <message>
        <source>Pickup counter</source>
        <extracomment>every answer shown (ok, text): tests wait for it the waiting list was shown</extracomment>
        <translation>自提柜台</translation>
    </message>
    <message>
        <source>Order number the customer shows, then Enter</source>
        <extracomment>the order on the card (scanned once, waiting for the second scan)</extracomment>
        <translation>输入顾客出示的订单号，按回车</translation>
    </message>
    <message>
        <source>Hand over</source>
        <translation>交付</translation>
    </message>
    <message>
        <source>Waiting on the shelf: {n}</source>
        <translation>货架上待取：{n}</translation>
    </message>
    <message>
        <source>Scan the customer's pickup slip (or type the order number).</source>
        <translation>扫描顾客的取件单（或输入订单号）。</translation>
    </message>
    <message>
        <source>Fetch it from slot {slot}, check the customer, then scan the slip again to hand it over.</source>
        <translation>到 {slot} 号货位取件，核对顾客后再扫一次取件单即交付。</translation>
    </message>
    <message>
        <source>{n} parcel(s) · {channel}</source>
        <translation>{n} 个包裹 · {channel}</translation>
    </message>
    <message>
        <source>Scan the pickup slip's barcode (the order number).</source>
        <translation>请扫取件单上的条码（订单号）。</translation>
    </message>
    <message>
        <source>{order}: slot {slot}.</source>
        <translation>{order}：货位 {slot}。</translation>
    </message>
    <message>
        <source>{order} handed to the customer from slot {slot}: {n} parcel(s).</source>
        <translation>{order} 已从货位 {slot} 交给顾客：{n} 个包裹。</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <source>{n} d</source>
        <translation>{n} 天</translation>
    </message>
    <message>
        <source>Slot</source>
        <translation>货位</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Shop order</source>
        <translation>店铺订单号</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Parcels</source>
        <translation>包裹</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>等待</translation>
    </message>
</context>
<context>
    <name>PoolsModel</name>
    <message>
        <source>Carrier</source>
        <translation>快递公司</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <source>Numbers from</source>
        <translation>单号来源</translation>
    </message>
    <message>
        <source>Free</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>已用</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>numbers from the carrier's system</source>
        <translation>由快递公司系统提供单号</translation>
    </message>
    <message>
        <source>LOW: {n} left, load more</source>
        <translation>不足：仅剩 {n} 个，请补充</translation>
    </message>
    <message>
        <source>{n} left</source>
        <translation>剩余 {n} 个</translation>
    </message>
    <message>
        <source>any service</source>
        <translation>所有服务</translation>
    </message>
    <message>
        <source>number pool</source>
        <translation>单号池</translation>
    </message>
</context>
<context>
    <name>PrintJobsWidget</name>
    <message>
        <source>Resend</source>
        <translation>重新发送</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>重打</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>取消任务</translation>
    </message>
    <message>
        <source>Job {job} goes to the printer again.</source>
        <translation>任务 {job} 已重新发送到打印机。</translation>
    </message>
    <message>
        <source>Job {job} is reprinted as job {new}.</source>
        <translation>任务 {job} 已重打为任务 {new}。</translation>
    </message>
    <message>
        <source>Job {job} is cancelled.</source>
        <translation>任务 {job} 已取消。</translation>
    </message>
</context>
<context>
    <name>PrinterForm</name>
    <message>
        <source>Label printer</source>
        <translation>标签打印机</translation>
    </message>
    <message>
        <source>No label printer</source>
        <translation>无标签打印机</translation>
    </message>
    <message>
        <source>Network (raw TCP, port 9100)</source>
        <translation>网络（原始 TCP，端口 9100）</translation>
    </message>
    <message>
        <source>Serial port</source>
        <translation>串口</translation>
    </message>
    <message>
        <source>USB printer device</source>
        <translation>USB 打印机设备</translation>
    </message>
    <message>
        <source>System printer (PDF)</source>
        <translation>系统打印机（PDF）</translation>
    </message>
    <message>
        <source>Network: host:port. Serial/USB: the port or device.</source>
        <translation>网络：主机:端口。串口/USB：端口或设备。</translation>
    </message>
    <message>
        <source>Connected by</source>
        <translation>连接方式</translation>
    </message>
    <message>
        <source>Address or port</source>
        <translation>地址或端口</translation>
    </message>
    <message>
        <source>Printer language</source>
        <translation>打印机语言</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>分辨率</translation>
    </message>
    <message>
        <source>Label size</source>
        <translation>标签尺寸</translation>
    </message>
    <message>
        <source>Baud rate (serial)</source>
        <translation>波特率（串口）</translation>
    </message>
</context>
<context>
    <name>ProductTagsDialog</name>
    <message>
        <source>Products and their tags</source>
        <extracomment>the list was (re)loaded a save finished (its message, and whether it worked) searches asked for: only the last one's answer is shown</extracomment>
        <translation>商品及其标签</translation>
    </message>
    <message>
        <source>Search SKU, name or tag (or scan the product)</source>
        <translation>搜索 SKU、名称或标签（或扫描商品）</translation>
    </message>
    <message>
        <source>fragile, liquid, battery</source>
        <translation>易碎, 液体, 带电</translation>
    </message>
    <message>
        <source>Save tags</source>
        <translation>保存标签</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Tags (separated by commas)</source>
        <translation>标签（用逗号分隔）</translation>
    </message>
    <message>
        <source>Choose a product above</source>
        <translation>请在上方选择商品</translation>
    </message>
    <message>
        <source>Tags of {sku} saved: {tags}</source>
        <translation>{sku} 的标签已保存：{tags}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>ProtectedRecipient</name>
    <message>
        <source>Recipient protected by the platform: ship with the platform's e-waybill (电子面单), which prints the real name, phone and address.</source>
        <translation>收件人信息受平台隐私保护：请使用平台的电子面单发货，面单上会打印真实的姓名、电话和地址。</translation>
    </message>
</context>
<context>
    <name>ReasonsDialog</name>
    <message>
        <source>Return reasons</source>
        <translation>退货原因</translation>
    </message>
    <message>
        <source>Add reason</source>
        <translation>添加原因</translation>
    </message>
    <message>
        <source>Disable the chosen reason</source>
        <translation>停用所选原因</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>(disabled)</source>
        <translation>（已停用）</translation>
    </message>
</context>
<context>
    <name>RetentionSection</name>
    <message>
        <source>Retention of personal data</source>
        <translation>个人信息保留期限</translation>
    </message>
    <message>
        <source>Days after an order is delivered, returned or cancelled before its recipient's name, phone and street are blanked (country and city stay for the figures). 0 keeps personal data for ever.</source>
        <translation>订单签收、退回或取消后，再过多少天清除收件人的姓名、电话和街道地址（国家和城市保留用于统计）。0 表示永久保留。</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>keep for ever</source>
        <translation>永久保留</translation>
    </message>
    <message>
        <source>Keep personal data for</source>
        <translation>个人信息保留</translation>
    </message>
</context>
<context>
    <name>Returns</name>
    <message>
        <source>Restocked</source>
        <translation>已上架</translation>
    </message>
    <message>
        <source>Quarantine</source>
        <translation>隔离</translation>
    </message>
    <message>
        <source>Written off</source>
        <translation>已报废</translation>
    </message>
    <message>
        <source>To inspect</source>
        <translation>待检验</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>已发</translation>
    </message>
    <message>
        <source>Back before</source>
        <translation>此前已退</translation>
    </message>
    <message>
        <source>This return</source>
        <translation>本次退回</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Serial / lot</source>
        <translation>序列号 / 批次</translation>
    </message>
    <message>
        <source>Inspection</source>
        <translation>检验</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>库位</translation>
    </message>
</context>
<context>
    <name>ReturnsScreen</name>
    <message>
        <source>Returns</source>
        <extracomment>the screen handled a scan or an action (tests wait on it): the outcome, view or error</extracomment>
        <translation>退货</translation>
    </message>
    <message>
        <source>Refund note…</source>
        <translation>退款单…</translation>
    </message>
    <message>
        <source>Reasons…</source>
        <translation>退货原因…</translation>
    </message>
    <message>
        <source>Cancel this return</source>
        <translation>取消本次退货</translation>
    </message>
    <message>
        <source>Take back (chosen line)</source>
        <translation>退回（所选行）</translation>
    </message>
    <message>
        <source>shelf location</source>
        <translation>货架库位</translation>
    </message>
    <message>
        <source>Restock</source>
        <translation>重新上架</translation>
    </message>
    <message>
        <source>Quarantine</source>
        <translation>隔离</translation>
    </message>
    <message>
        <source>Write off (damaged)</source>
        <translation>报废（损坏）</translation>
    </message>
    <message>
        <source>Finish return</source>
        <translation>完成退货</translation>
    </message>
    <message>
        <source>Finished today: {units} units back</source>
        <translation>今日完成退货：{units} 件</translation>
    </message>
    <message>
        <source>{status}, partly returned</source>
        <translation>{status}，部分退货</translation>
    </message>
    <message>
        <source>Return {number} · order {order} · {channel} {external} · {status}</source>
        <translation>退货 {number} · 订单 {order} · {channel} {external} · {status}</translation>
    </message>
    <message>
        <source>Scan the returned parcel: tracking number, return label or order</source>
        <translation>扫描退回的包裹：快递单号、退货标签或订单号</translation>
    </message>
    <message>
        <source>{units} units</source>
        <translation>{units} 件</translation>
    </message>
    <message>
        <source>{what}: scan the shelf to restock it, or QUARANTINE / WRITE OFF</source>
        <translation>{what}：扫描货架库位重新上架，或扫描「隔离」/「报废」</translation>
    </message>
    <message>
        <source>Everything is back and inspected: scan CONFIRM to finish</source>
        <translation>已全部退回并检验：扫描「确认」完成</translation>
    </message>
    <message>
        <source>Scan the item: it counts {qty} units</source>
        <translation>扫描商品：本次计 {qty} 件</translation>
    </message>
    <message>
        <source>Scan each item that came back (reason: {reason})</source>
        <translation>逐件扫描退回的商品（原因：{reason}）</translation>
    </message>
    <message>
        <source>Choose the line that came back in the table first.</source>
        <translation>请先在表格中选择退回的商品行。</translation>
    </message>
    <message>
        <source>{qty} × {sku} taken back</source>
        <translation>已退回 {qty} × {sku}</translation>
    </message>
    <message>
        <source>Put away.</source>
        <translation>已放置。</translation>
    </message>
    <message>
        <source>Return {number} finished.</source>
        <translation>退货 {number} 已完成。</translation>
    </message>
    <message>
        <source>Return {number} cancelled.</source>
        <translation>退货 {number} 已取消。</translation>
    </message>
    <message>
        <source>Save the refund note</source>
        <translation>保存退款单</translation>
    </message>
    <message>
        <source>Refund note saved: {rows} lines</source>
        <translation>退款单已保存：{rows} 行</translation>
    </message>
</context>
<context>
    <name>Review</name>
    <message>
        <source>“{listing}” × {qty}</source>
        <translation>“{listing}” × {qty}</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <source>Review</source>
        <translation>审单</translation>
    </message>
    <message>
        <source>All hold reasons</source>
        <translation>全部挂起原因</translation>
    </message>
    <message>
        <source>Order number, channel order id, name or phone</source>
        <translation>订单号、渠道订单号、姓名或电话</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>重新审核</translation>
    </message>
    <message>
        <source>Check settings…</source>
        <translation>审单规则…</translation>
    </message>
    <message>
        <source>1 order held</source>
        <translation>挂起订单 1 个</translation>
    </message>
    <message>
        <source>{n} orders held</source>
        <translation>挂起订单 {n} 个</translation>
    </message>
    <message>
        <source>Passes every check and is released: {numbers}</source>
        <translation>已通过全部审核并放行：{numbers}</translation>
    </message>
    <message>
        <source>{number} is still held: {reasons}</source>
        <translation>{number} 仍被挂起：{reasons}</translation>
    </message>
    <message>
        <source>a reviewer's hold</source>
        <translation>审单员挂起</translation>
    </message>
    <message>
        <source>The check settings were saved. Use Check again to apply them to held orders.</source>
        <translation>审单规则已保存。点击“重新审核”将其应用到挂起的订单。</translation>
    </message>
</context>
<context>
    <name>RuleEditor</name>
    <message>
        <source>Countries</source>
        <extracomment>the list conditions with their labels and examples (translated when shown)</extracomment>
        <translation>国家</translation>
    </message>
    <message>
        <source>Provinces / states</source>
        <translation>省份 / 州</translation>
    </message>
    <message>
        <source>Cities</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>Postal codes starting with</source>
        <translation>邮编开头</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>SKUs (any item)</source>
        <translation>SKU（任一商品）</translation>
    </message>
    <message>
        <source>Product tags (any item)</source>
        <translation>商品标签（任一商品）</translation>
    </message>
    <message>
        <source>Shipping method contains</source>
        <translation>配送方式包含</translation>
    </message>
    <message>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>New shipping rule</source>
        <translation>新建发货规则</translation>
    </message>
    <message>
        <source>Rule is on</source>
        <translation>启用此规则</translation>
    </message>
    <message>
        <source>any (e.g. {example})</source>
        <translation>不限（例如 {example}）</translation>
    </message>
    <message>
        <source>Set carrier service and/or package</source>
        <translation>设置快递服务和/或包装</translation>
    </message>
    <message>
        <source>Hold the order</source>
        <translation>暂停订单</translation>
    </message>
    <message>
        <source>Stop: try no later rule</source>
        <translation>停止：不再匹配后面的规则</translation>
    </message>
    <message>
        <source>When it matches, stop: later rules are not tried</source>
        <translation>匹配后停止：不再尝试后面的规则</translation>
    </message>
    <message>
        <source>what the packer reads: Call the customer</source>
        <translation>打包员看到的内容：请联系客户</translation>
    </message>
    <message>
        <source>— keep as it is —</source>
        <translation>— 保持不变 —</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Parcel weight</source>
        <translation>包裹重量</translation>
    </message>
    <message>
        <source>Order value</source>
        <translation>订单金额</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>动作</translation>
    </message>
    <message>
        <source>Carrier service</source>
        <translation>快递服务</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>包装</translation>
    </message>
    <message>
        <source>Hold reason</source>
        <translation>暂停原因</translation>
    </message>
    <message>
        <source>Every condition given must hold; a list holds when any of its entries does (separate entries with commas). Leave a condition empty to ignore it.</source>
        <translation>填写的条件必须全部满足；列表中任意一项满足即可（多项用逗号分隔）。留空的条件不参与判断。</translation>
    </message>
    <message>
        <source>When</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>Then</source>
        <translation>执行</translation>
    </message>
</context>
<context>
    <name>RuleTestPanel</name>
    <message>
        <source>Test on an order</source>
        <extracomment>a test's answer is shown (or its error)</extracomment>
        <translation>用订单测试</translation>
    </message>
    <message>
        <source>Scan or type an order number</source>
        <translation>扫描或输入订单号</translation>
    </message>
    <message>
        <source>catalogue weight</source>
        <translation>按商品资料重量</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Every rule, from the top:</source>
        <translation>每条规则（从上到下）：</translation>
    </message>
    <message>
        <source>{order} is held: {reason}</source>
        <translation>{order} 已暂停：{reason}</translation>
    </message>
    <message>
        <source>{order} ships with {service}</source>
        <translation>{order} 用 {service} 发货</translation>
    </message>
    <message>
        <source>package {package}</source>
        <translation>包装 {package}</translation>
    </message>
    <message>
        <source>{order}: no carrier service</source>
        <translation>{order}：没有快递服务</translation>
    </message>
    <message>
        <source>Decided by: {rules}</source>
        <translation>决定规则：{rules}</translation>
    </message>
    <message>
        <source>No rule decided: the order keeps its own carrier service from intake.</source>
        <translation>没有规则作出决定：订单保留导入时的快递服务。</translation>
    </message>
    <message>
        <source>(catalogue weight of the items)</source>
        <translation>（商品资料中的重量）</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>重量</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>目的地</translation>
    </message>
    <message>
        <source>Order value</source>
        <translation>订单金额</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>SKUs</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Shipping method</source>
        <translation>配送方式</translation>
    </message>
    <message>
        <source>Own carrier service</source>
        <translation>订单自带快递服务</translation>
    </message>
</context>
<context>
    <name>RulesDialog</name>
    <message>
        <source>Wave rules</source>
        <translation>波次规则</translation>
    </message>
    <message>
        <source>carrier code; empty: any</source>
        <translation>承运商编码；留空：不限</translation>
    </message>
    <message>
        <source>HH:MM, e.g. 16:30</source>
        <translation>时:分，例如 16:30</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>channel code; empty: any</source>
        <translation>渠道编码；留空：不限</translation>
    </message>
    <message>
        <source>all the order's stock in this zone; empty: any</source>
        <translation>订单的全部库存都在该库区；留空：不限</translation>
    </message>
    <message>
        <source>The first cart</source>
        <translation>第一辆拣货车</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Rule name</source>
        <translation>规则名称</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>承运商</translation>
    </message>
    <message>
        <source>Cut-off</source>
        <translation>截单时间</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>库区</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Pick method</source>
        <translation>拣货方式</translation>
    </message>
    <message>
        <source>Cart</source>
        <translation>拣货车</translation>
    </message>
    <message>
        <source>Most orders per wave</source>
        <translation>每个波次最多订单数</translation>
    </message>
    <message>
        <source>Save rule</source>
        <translation>保存规则</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ScaleForm</name>
    <message>
        <source>Scale</source>
        <translation>电子秤</translation>
    </message>
    <message>
        <source>No scale</source>
        <translation>无电子秤</translation>
    </message>
    <message>
        <source>Mettler Toledo MT-SICS</source>
        <translation>梅特勒-托利多 MT-SICS</translation>
    </message>
    <message>
        <source>Continuous stream (ST/US, GS/NT)</source>
        <translation>连续输出（ST/US，GS/NT）</translation>
    </message>
    <message>
        <source>NCI / Avery Weigh-Tronix / Brecknell</source>
        <translation>NCI / Avery Weigh-Tronix / Brecknell</translation>
    </message>
    <message>
        <source>default: ST,GS,+001.234kg</source>
        <translation>默认：ST,GS,+001.234kg</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>通讯协议</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Baud rate</source>
        <translation>波特率</translation>
    </message>
    <message>
        <source>Data bits, parity, stop bits</source>
        <translation>数据位、校验位、停止位</translation>
    </message>
    <message>
        <source>Readings that must agree</source>
        <translation>需一致的读数次数</translation>
    </message>
    <message>
        <source>They may differ by</source>
        <translation>允许偏差</translation>
    </message>
    <message>
        <source>Give up after</source>
        <translation>超时时间</translation>
    </message>
    <message>
        <source>Frame pattern (continuous)</source>
        <translation>数据帧格式（连续输出）</translation>
    </message>
</context>
<context>
    <name>ScanLogModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Scanned</source>
        <translation>扫描内容</translation>
    </message>
    <message>
        <source>Meaning</source>
        <translation>识别结果</translation>
    </message>
</context>
<context>
    <name>ScannerForm</name>
    <message>
        <source>Scanner</source>
        <translation>扫码枪</translation>
    </message>
    <message>
        <source>Keyboard (USB HID, keyboard wedge)</source>
        <translation>键盘模式（USB HID）</translation>
    </message>
    <message>
        <source>Serial port (USB-CDC, RS-232)</source>
        <translation>串口（USB-CDC，RS-232）</translation>
    </message>
    <message>
        <source>No scanner</source>
        <translation>无扫码枪</translation>
    </message>
    <message>
        <source>Find ports</source>
        <translation>查找端口</translation>
    </message>
    <message>
        <source>none, e.g. \x02</source>
        <translation>无，例如 \x02</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>回车</translation>
    </message>
    <message>
        <source>Connected as</source>
        <translation>连接方式</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Baud rate</source>
        <translation>波特率</translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation>前缀</translation>
    </message>
    <message>
        <source>Suffix</source>
        <translation>后缀</translation>
    </message>
    <message>
        <source>Longest pause between keys</source>
        <translation>最大按键间隔</translation>
    </message>
    <message>
        <source>Shortest scan (characters)</source>
        <translation>最短条码长度（字符）</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <source>Settings</source>
        <extracomment>the stored settings are shown a save ended: True when every changed section was saved</extracomment>
        <translation>设置</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Settings were changed elsewhere. Save yours, or Revert to see theirs.</source>
        <translation>设置已在别处被修改。请保存您的修改，或点“还原”查看对方的设置。</translation>
    </message>
    <message>
        <source>Not saved yet: {sections}</source>
        <translation>尚未保存：{sections}</translation>
    </message>
    <message>
        <source>Nothing was saved: correct the fields marked in red ({sections}).</source>
        <translation>未保存任何内容：请改正标红的字段（{sections}）。</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>没有任何修改。</translation>
    </message>
    <message>
        <source>{section} was not saved: {reason}</source>
        <translation>{section} 未保存：{reason}</translation>
    </message>
    <message>
        <source>Saved. Every station uses the new settings now.</source>
        <translation>已保存。所有工作站现在都使用新设置。</translation>
    </message>
    <message>
        <source>Unsaved settings</source>
        <translation>设置未保存</translation>
    </message>
    <message>
        <source>Some settings were changed and not saved. Save them now?</source>
        <translation>有设置已修改但未保存。现在保存吗？</translation>
    </message>
</context>
<context>
    <name>ShipScreen</name>
    <message>
        <source>{when} (earlier day)</source>
        <translation>{when}(前几天)</translation>
    </message>
    <message>
        <source>Tracking</source>
        <translation>运单号</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>工位</translation>
    </message>
    <message>
        <source>Packer</source>
        <translation>打包员</translation>
    </message>
    <message>
        <source>Packed</source>
        <translation>打包时间</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>承运商</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>待交接</translation>
    </message>
    <message>
        <source>Cut-off</source>
        <translation>截单</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <source>Ship</source>
        <extracomment>the board is read again this often while the screen is shown (the cut-off countdown) every answer shown (ok, text): tests wait for it the board was shown</extracomment>
        <translation>发货交接</translation>
    </message>
    <message>
        <source>By parcel (any carrier)</source>
        <extracomment>the carrier chosen on the picker (None: by parcel) and the one whose day is shown</extracomment>
        <translation>按包裹(任意承运商)</translation>
    </message>
    <message>
        <source>Scan each parcel's label as it goes onto the truck.</source>
        <translation>每个包裹装车时扫描其面单。</translation>
    </message>
    <message>
        <source>Cut-offs</source>
        <translation>截单时间</translation>
    </message>
    <message>
        <source>Close handover…</source>
        <translation>关闭交接单…</translation>
    </message>
    <message>
        <source>Reopen…</source>
        <translation>重新打开…</translation>
    </message>
    <message>
        <source>Take a parcel off…</source>
        <translation>移出包裹…</translation>
    </message>
    <message>
        <source>Export tracking…</source>
        <translation>导出运单号…</translation>
    </message>
    <message>
        <source>Write the tracking of shipped orders in the file each shop uploads</source>
        <translation>把已发货订单的运单号写成各店铺上传用的文件</translation>
    </message>
    <message>
        <source>Choose a carrier, or scan a parcel.</source>
        <translation>请选择承运商,或直接扫描包裹。</translation>
    </message>
    <message>
        <source>{carrier}: handover {number}</source>
        <translation>{carrier}:交接单 {number}</translation>
    </message>
    <message>
        <source>not open yet</source>
        <translation>尚未开始</translation>
    </message>
    <message>
        <source>scanned {scanned} / packed {packed}</source>
        <translation>已扫 {scanned} / 已打包 {packed}</translation>
    </message>
    <message>
        <source>Missing: {n}</source>
        <translation>缺少:{n}</translation>
    </message>
    <message>
        <source>Nothing missing: every packed parcel is scanned.</source>
        <translation>无缺少:所有已打包的包裹都已扫描。</translation>
    </message>
    <message>
        <source>Scan a parcel's label (its tracking barcode).</source>
        <translation>请扫描包裹面单(运单条码)。</translation>
    </message>
    <message>
        <source>{n} packed parcels of {carrier} are not scanned. Close handover {number} without them?</source>
        <translation>{carrier} 有 {n} 个已打包的包裹未扫描。不等这些包裹,直接关闭交接单 {number}?</translation>
    </message>
    <message>
        <source>Close handover {number} with {n} parcels and print its manifest?</source>
        <translation>关闭交接单 {number}(共 {n} 个包裹)并打印交接清单?</translation>
    </message>
    <message>
        <source>Close handover</source>
        <translation>关闭交接单</translation>
    </message>
    <message>
        <source>Handover {number} closed: {parcels} parcels, {kg} kg, {orders} orders shipped. The manifest is printing: have the driver sign it.</source>
        <translation>交接单 {number} 已关闭:{parcels} 个包裹,{kg} 公斤,{orders} 个订单已发货。交接清单正在打印,请司机签字。</translation>
    </message>
    <message>
        <source>Reopen handover</source>
        <translation>重新打开交接单</translation>
    </message>
    <message>
        <source>Why is handover {number} reopened?</source>
        <translation>为什么重新打开交接单 {number}?</translation>
    </message>
    <message>
        <source>Handover {number} is open again: {n} orders back to packed.</source>
        <translation>交接单 {number} 已重新打开:{n} 个订单恢复为已打包。</translation>
    </message>
    <message>
        <source>Take a parcel off</source>
        <translation>移出包裹</translation>
    </message>
    <message>
        <source>Scan or type the tracking number of the parcel to take off {number}:</source>
        <translation>扫描或输入要从 {number} 移出的包裹运单号:</translation>
    </message>
</context>
<context>
    <name>ShippingRulesScreen</name>
    <message>
        <source>weight {low}–{high} g</source>
        <translation>重量 {low}–{high} g</translation>
    </message>
    <message>
        <source>weight ≥ {low} g</source>
        <translation>重量 ≥ {low} g</translation>
    </message>
    <message>
        <source>weight ≤ {high} g</source>
        <translation>重量 ≤ {high} g</translation>
    </message>
    <message>
        <source>value {low}–{high}</source>
        <translation>金额 {low}–{high}</translation>
    </message>
    <message>
        <source>value ≥ {low}</source>
        <translation>金额 ≥ {low}</translation>
    </message>
    <message>
        <source>value ≤ {high}</source>
        <translation>金额 ≤ {high}</translation>
    </message>
    <message>
        <source>every order</source>
        <translation>所有订单</translation>
    </message>
    <message>
        <source>Hold: {reason}</source>
        <translation>暂停：{reason}</translation>
    </message>
    <message>
        <source>Stop here</source>
        <translation>到此停止</translation>
    </message>
    <message>
        <source>(then go on)</source>
        <translation>（继续匹配后面的规则）</translation>
    </message>
    <message>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>On</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>When</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>Then</source>
        <translation>执行</translation>
    </message>
    <message>
        <source>Shipping rules</source>
        <extracomment>the rules list is shown a change finished (its message, and whether it worked)</extracomment>
        <translation>发货规则</translation>
    </message>
    <message>
        <source>Add rule...</source>
        <translation>添加规则...</translation>
    </message>
    <message>
        <source>Edit...</source>
        <translation>编辑...</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Product tags...</source>
        <translation>商品标签...</translation>
    </message>
    <message>
        <source>Rules are tried from the top. The first rule to choose a carrier service or a package wins it; a hold stops the order at the pack station with its reason.</source>
        <translation>规则从上到下依次匹配。最先选定快递服务或包装的规则生效；暂停规则会让打包台拦下订单并显示原因。</translation>
    </message>
    <message>
        <source>Rule “{rule}” saved.</source>
        <translation>规则“{rule}”已保存。</translation>
    </message>
    <message>
        <source>“{rule}” is now rule {n}.</source>
        <translation>“{rule}”现在是第 {n} 条规则。</translation>
    </message>
    <message>
        <source>Delete the rule “{rule}”?</source>
        <translation>删除规则“{rule}”？</translation>
    </message>
    <message>
        <source>Rule “{rule}” deleted.</source>
        <translation>规则“{rule}”已删除。</translation>
    </message>
</context>
<context>
    <name>ShopSection</name>
    <message>
        <source>Shop: sender and logo</source>
        <translation>店铺：寄件人和标志</translation>
    </message>
    <message>
        <source>Your shop as customers and carriers see it: the sender printed on shipping labels and packing slips, and the logo on the packing slip. The logo is kept in the database, so every station prints the same one.</source>
        <translation>顾客和快递公司看到的店铺信息：印在快递面单和装箱单上的寄件人，以及装箱单上的标志。标志保存在数据库中，所有工作站打印的都是同一个。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Country (two letters, for example CN)</source>
        <translation>国家（两位字母，例如 CN）</translation>
    </message>
    <message>
        <source>Province / state</source>
        <translation>省 / 州</translation>
    </message>
    <message>
        <source>City</source>
        <translation>城市</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区县</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>街道</translation>
    </message>
    <message>
        <source>Postal code</source>
        <translation>邮编</translation>
    </message>
    <message>
        <source>Choose logo…</source>
        <translation>选择标志…</translation>
    </message>
    <message>
        <source>No logo</source>
        <translation>不用标志</translation>
    </message>
    <message>
        <source>Logo (PNG or JPEG, up to 512 KB)</source>
        <translation>标志（PNG 或 JPEG，最大 512 KB）</translation>
    </message>
    <message>
        <source>Choose the shop's logo</source>
        <translation>选择店铺标志</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg)</source>
        <translation>图片 (*.png *.jpg *.jpeg)</translation>
    </message>
</context>
<context>
    <name>SinglePage</name>
    <message>
        <source>Single-unit batch {batch} · tote {tote}</source>
        <translation>一单一品批次 {batch} · 周转箱 {tote}</translation>
    </message>
    <message>
        <source>{packed} of {orders} packed</source>
        <translation>已打包 {packed} / {orders}</translation>
    </message>
    <message>
        <source>Scan the next unit: its label prints at once</source>
        <translation>扫描下一件商品：面单立即打印</translation>
    </message>
    <message>
        <source>Last label: {tracking} (order {order})</source>
        <translation>上一张面单：{tracking}（订单 {order}）</translation>
    </message>
    <message>
        <source>{sku}  {name}: {n} orders left</source>
        <translation>{sku}  {name}：剩余 {n} 个订单</translation>
    </message>
    <message>
        <source>Every order of the batch is packed.</source>
        <translation>本批次的所有订单都已打包。</translation>
    </message>
</context>
<context>
    <name>SmtpForm</name>
    <message>
        <source>Send notices to customers</source>
        <translation>向顾客发送通知</translation>
    </message>
    <message>
        <source>STARTTLS (port 465: TLS from the start)</source>
        <translation>STARTTLS（端口 465：全程 TLS）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Mail server</source>
        <translation>邮件服务器</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>From address</source>
        <translation>发件地址</translation>
    </message>
    <message>
        <source>From name</source>
        <translation>发件人名称</translation>
    </message>
    <message>
        <source>Only a user who may change settings sees the mail server.</source>
        <translation>只有可以修改设置的用户才能查看邮件服务器。</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
</context>
<context>
    <name>SortWallScreen</name>
    <message>
        <source>Sort wall</source>
        <extracomment>the wall changed (a scan was handled, a batch opened): tests and the shell wait on it</extracomment>
        <translation>播种墙</translation>
    </message>
    <message>
        <source>Print slot labels…</source>
        <translation>打印格口标签…</translation>
    </message>
    <message>
        <source>Wall settings…</source>
        <translation>播种墙设置…</translation>
    </message>
    <message>
        <source>Other batch</source>
        <translation>换一个批次</translation>
    </message>
    <message>
        <source>Start sorting the chosen batch</source>
        <translation>开始分拣所选批次</translation>
    </message>
    <message>
        <source>{batch} · tote {tote} · {orders} orders to sort</source>
        <translation>{batch} · 汇总箱 {tote} · {orders} 个订单待分拣</translation>
    </message>
    <message>
        <source>Scan the bulk tote of a picked batch, or choose the batch below.</source>
        <translation>扫已拣批次的汇总箱，或在下面选择批次。</translation>
    </message>
    <message>
        <source>No picked batch is waiting to be sorted.</source>
        <translation>没有等待分拣的已拣批次。</translation>
    </message>
    <message>
        <source>Sorting {batch}: scan a unit.</source>
        <translation>正在分拣 {batch}：请扫商品。</translation>
    </message>
    <message>
        <source>Slot {slot} complete: order {order}</source>
        <translation>格口 {slot} 已完成：订单 {order}</translation>
    </message>
    <message>
        <source>Slot {slot} complete: order {order}. Every order is sorted.</source>
        <translation>格口 {slot} 已完成：订单 {order}。所有订单都已分拣完毕。</translation>
    </message>
    <message>
        <source>Slot {slot}: {count}</source>
        <translation>格口 {slot}：{count}</translation>
    </message>
    <message>
        <source>The unit is back out of hand. Scan a unit.</source>
        <translation>手上的商品已取消。请扫商品。</translation>
    </message>
    <message>
        <source>Scan a tote</source>
        <translation>请扫周转箱</translation>
    </message>
    <message>
        <source>Sort wall · batch {batch}</source>
        <translation>播种墙 · 批次 {batch}</translation>
    </message>
    <message>
        <source>{sorted} of {needed} units sorted</source>
        <translation>已分拣 {sorted} / {needed} 件</translation>
    </message>
    <message>
        <source>Slot {slot}</source>
        <translation>格口 {slot}</translation>
    </message>
    <message>
        <source>{sku} {name} for order {order}: put it into slot {slot}, then scan the slot's barcode.</source>
        <translation>{sku} {name} 属于订单 {order}：请放入格口 {slot}，然后扫格口条码。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Every order of this batch is sorted.</source>
        <translation>本批次所有订单都已分拣完毕。</translation>
    </message>
    <message>
        <source>Scan a unit</source>
        <translation>请扫商品</translation>
    </message>
    <message>
        <source>Take a unit from the bulk tote and scan it.</source>
        <translation>从汇总箱取一件商品并扫描。</translation>
    </message>
    <message>
        <source>The wall has {slots} slots, {first} to {last}.</source>
        <translation>播种墙共有 {slots} 个格口：{first} 至 {last}。</translation>
    </message>
    <message>
        <source>Save the slot labels</source>
        <translation>保存格口标签</translation>
    </message>
    <message>
        <source>Slot labels saved to {file}.</source>
        <translation>格口标签已保存到 {file}。</translation>
    </message>
</context>
<context>
    <name>SplitDialog</name>
    <message>
        <source>Split order {number}</source>
        <translation>拆分订单 {number}</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Move to new order</source>
        <translation>移到新订单</translation>
    </message>
    <message>
        <source>Split off these units</source>
        <translation>拆出这些件数</translation>
    </message>
    <message>
        <source>Split off what is not in stock</source>
        <translation>拆出缺货部分</translation>
    </message>
    <message>
        <source>The new order keeps the channel's order and line ids, so shipping can be reported back for each part.</source>
        <translation>新订单保留渠道的订单号和行号，以便每一部分都能单独回传发货信息。</translation>
    </message>
</context>
<context>
    <name>SyncConflicts</name>
    <message>
        <source>opening the order for packing</source>
        <extracomment>values that are an order status, shown by the screens' names for them</extracomment>
        <translation>打开订单开始打包</translation>
    </message>
    <message>
        <source>scanning an item</source>
        <translation>扫描了商品</translation>
    </message>
    <message>
        <source>ticking an item off without a scan</source>
        <translation>未扫描直接确认了商品</translation>
    </message>
    <message>
        <source>weighing the parcel</source>
        <translation>称重了包裹</translation>
    </message>
    <message>
        <source>accepting a wrong weight</source>
        <translation>接受了不符的重量</translation>
    </message>
    <message>
        <source>printing the label and finishing the parcel</source>
        <translation>打印面单并完成包裹</translation>
    </message>
    <message>
        <source>putting the order back</source>
        <translation>放回了订单</translation>
    </message>
    <message>
        <source>opening a single-item batch</source>
        <translation>打开了单件批次</translation>
    </message>
    <message>
        <source>packing a single-item order</source>
        <translation>打包了单件订单</translation>
    </message>
    <message>
        <source>What was sent</source>
        <translation>发送的参数</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>What the station answered</source>
        <translation>工作站当时的结果</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>运单号</translation>
    </message>
    <message>
        <source>Pack session</source>
        <translation>打包会话</translation>
    </message>
    <message>
        <source>Weight (g)</source>
        <translation>重量（克）</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Resolved by {user}</source>
        <translation>已由 {user} 处理</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>工作站</translation>
    </message>
    <message>
        <source>What the station did</source>
        <translation>工作站的操作</translation>
    </message>
    <message>
        <source>Why the server refused</source>
        <translation>服务器拒绝的原因</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>SyncConflictsScreen</name>
    <message>
        <source>Offline conflicts</source>
        <extracomment>what the bus says when conflicts may have changed (the status bar's count moved) the list was shown an action finished (its message, and whether it worked)</extracomment>
        <translation>离线冲突</translation>
    </message>
    <message>
        <source>Open conflicts</source>
        <translation>待处理的冲突</translation>
    </message>
    <message>
        <source>All conflicts</source>
        <translation>全部冲突</translation>
    </message>
    <message>
        <source>Mark resolved...</source>
        <translation>标记为已处理…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>Actions done on a station while the shared database was away, which the shared database refused when they were sent. Nothing was overwritten. Check the order, put it right (unpack, put the items back, tell the customer...), then mark the conflict resolved with what was done.</source>
        <translation>工作站在共享数据库断开期间完成的操作，在发送时被共享数据库拒绝。没有任何数据被覆盖。请核对订单并纠正（拆包、商品放回库位、通知客户等），然后填写处理方式，将冲突标记为已处理。</translation>
    </message>
    <message>
        <source>No conflicts: every action from offline stations was applied.</source>
        <translation>没有冲突：离线工作站的所有操作都已生效。</translation>
    </message>
    <message>
        <source>1 conflict needs a supervisor</source>
        <translation>1 个冲突需要主管处理</translation>
    </message>
    <message>
        <source>{n} conflicts need a supervisor</source>
        <translation>{n} 个冲突需要主管处理</translation>
    </message>
    <message>
        <source>No open conflict</source>
        <translation>没有待处理的冲突</translation>
    </message>
    <message>
        <source>Station: {station}</source>
        <translation>工作站：{station}</translation>
    </message>
    <message>
        <source>Order: {order}</source>
        <translation>订单：{order}</translation>
    </message>
    <message>
        <source>Done offline at: {time}</source>
        <translation>离线操作时间：{time}</translation>
    </message>
    <message>
        <source>Refused at: {time}</source>
        <translation>被拒绝时间：{time}</translation>
    </message>
    <message>
        <source>What the station did: {action}</source>
        <translation>工作站的操作：{action}</translation>
    </message>
    <message>
        <source>Resolved by {user} at {time}: {note}</source>
        <translation>{user} 于 {time} 处理：{note}</translation>
    </message>
    <message>
        <source>What the station sent:</source>
        <translation>工作站发送的内容：</translation>
    </message>
    <message>
        <source>Journal key: {key}</source>
        <translation>日志键：{key}</translation>
    </message>
    <message>
        <source>Resolve the conflict</source>
        <translation>处理冲突</translation>
    </message>
    <message>
        <source>Order {order} at {station}: what was done about it?</source>
        <translation>订单 {order}（{station}）：做了什么处理？</translation>
    </message>
    <message>
        <source>Conflict of order {order} resolved ({note}).</source>
        <translation>订单 {order} 的冲突已处理（{note}）。</translation>
    </message>
</context>
<context>
    <name>TemplateEditor</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Back to the default</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <source>Placeholders:</source>
        <translation>占位符：</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>Example</source>
        <translation>示例</translation>
    </message>
    <message>
        <source>The shop's own wording</source>
        <translation>店铺自定义文案</translation>
    </message>
    <message>
        <source>Default wording</source>
        <translation>默认文案</translation>
    </message>
    <message>
        <source>Saved: the next notices use this wording.</source>
        <translation>已保存：之后的通知将使用此文案。</translation>
    </message>
    <message>
        <source>The default wording is back.</source>
        <translation>已恢复默认文案。</translation>
    </message>
</context>
<context>
    <name>TrackingExportDialog</name>
    <message>
        <source>Export tracking for the shops</source>
        <extracomment>the export's result (a TrackingExportResult) once it is done an operator error (a PackdeskError)</extracomment>
        <translation>导出物流单号给店铺</translation>
    </message>
    <message>
        <source>Writes the tracking numbers of the channel's shipped orders in the file its shop uploads (批量发货). Parcels already exported in that format are left out.</source>
        <translation>把该渠道已发货订单的物流单号写成店铺后台可上传的文件（批量发货）。已按此格式导出过的包裹不再导出。</translation>
    </message>
    <message>
        <source>Only parcels shipped since</source>
        <translation>只导出此日期起发出的包裹</translation>
    </message>
    <message>
        <source>Write parcels exported before again</source>
        <translation>重新导出已导出的包裹</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Mapping</source>
        <translation>映射</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>There are no sales channels yet.</source>
        <translation>还没有销售渠道。</translation>
    </message>
    <message>
        <source>As the channel uploads ({format})</source>
        <translation>按渠道的上传格式（{format}）</translation>
    </message>
    <message>
        <source>Choose a format</source>
        <translation>请选择格式</translation>
    </message>
    <message>
        <source>Taobao / Tmall</source>
        <translation>淘宝 / 天猫</translation>
    </message>
    <message>
        <source>JD</source>
        <translation>京东</translation>
    </message>
    <message>
        <source>Pinduoduo</source>
        <translation>拼多多</translation>
    </message>
    <message>
        <source>Douyin</source>
        <translation>抖店</translation>
    </message>
    <message>
        <source>Generic (a saved mapping)</source>
        <translation>通用（已保存的映射）</translation>
    </message>
    <message>
        <source>Save the tracking file as</source>
        <translation>物流单号文件另存为</translation>
    </message>
    <message>
        <source>Excel or CSV (*.xlsx *.csv)</source>
        <translation>Excel 或 CSV (*.xlsx *.csv)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Written: {parcels} parcel(s) of {orders} order(s), {rows} row(s), to
{file}
Upload this file in the shop's bulk shipping (批量发货) page.</source>
        <translation>已写入：{orders} 个订单的 {parcels} 个包裹，共 {rows} 行，文件：
{file}
请在店铺后台的“批量发货”页面上传此文件。</translation>
    </message>
    <message>
        <source>Nothing new to export. Parcels exported in this format before: {skipped}. Tick “Write parcels exported before again” to write them again.</source>
        <translation>没有新的可导出。之前已按此格式导出的包裹：{skipped} 个。勾选“重新导出已导出的包裹”可再次导出。</translation>
    </message>
</context>
<context>
    <name>TypedWeightDialog</name>
    <message>
        <source>Type the weight</source>
        <translation>输入重量</translation>
    </message>
    <message>
        <source>Weight of the parcel in kg (audited):</source>
        <translation>包裹重量（千克，将记录审计）：</translation>
    </message>
</context>
<context>
    <name>UsersModel</name>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Badge</source>
        <translation>工牌</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号状态</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
</context>
<context>
    <name>UsersScreen</name>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Add user...</source>
        <translation>添加用户...</translation>
    </message>
    <message>
        <source>Disable / enable</source>
        <translation>停用 / 启用</translation>
    </message>
    <message>
        <source>Reset password...</source>
        <translation>重置密码...</translation>
    </message>
    <message>
        <source>New badge...</source>
        <translation>新工牌...</translation>
    </message>
    <message>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <source>New password for {user} (at least 8 characters):</source>
        <translation>{user} 的新密码（至少 8 个字符）：</translation>
    </message>
    <message>
        <source>New badge</source>
        <translation>新工牌</translation>
    </message>
    <message>
        <source>Scan the new badge for {user}:</source>
        <translation>请扫描 {user} 的新工牌：</translation>
    </message>
    <message>
        <source>PIN (4 to 8 digits):</source>
        <translation>PIN 码（4 到 8 位数字）：</translation>
    </message>
</context>
<context>
    <name>VoidedDialog</name>
    <message>
        <source>Voided tracking numbers</source>
        <translation>作废的运单号</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>快递公司</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>单号</translation>
    </message>
    <message>
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Send these numbers to the carrier, then mark them reported.</source>
        <translation>请把这些单号发给快递公司，然后标记为已上报。</translation>
    </message>
    <message>
        <source>No voided numbers wait to be reported.</source>
        <translation>没有待上报的作废单号。</translation>
    </message>
    <message>
        <source>Mark all reported</source>
        <translation>全部标记为已上报</translation>
    </message>
    <message>
        <source>{n} numbers marked reported.</source>
        <translation>已将 {n} 个单号标记为已上报。</translation>
    </message>
</context>
<context>
    <name>WaitingPage</name>
    <message>
        <source>Scan a tote, order or pick list</source>
        <translation>扫描周转箱、订单或拣货单</translation>
    </message>
    <message>
        <source>Pickup shelf {slot}</source>
        <extracomment>the pickup shelf slot the last (pickup) order goes in, huge</extracomment>
        <translation>自提货架 {slot}</translation>
    </message>
</context>
<context>
    <name>WallSettingsDialog</name>
    <message>
        <source>Sort wall settings</source>
        <translation>播种墙设置</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Slots per row</source>
        <translation>每行格口数</translation>
    </message>
    <message>
        <source>Slot barcode prefix</source>
        <translation>格口条码前缀</translation>
    </message>
</context>
<context>
    <name>Waves</name>
    <message>
        <source>Planned</source>
        <translation>已规划</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>已放行</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>待领取</translation>
    </message>
    <message>
        <source>Picking</source>
        <translation>拣货中</translation>
    </message>
    <message>
        <source>Picked</source>
        <translation>已拣货</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Pick to tote</source>
        <translation>边拣边分（按箱拣货）</translation>
    </message>
    <message>
        <source>Single-unit orders</source>
        <translation>一单一品</translation>
    </message>
    <message>
        <source>Pick then sort</source>
        <translation>先拣后播</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>One unit</source>
        <translation>一单一件</translation>
    </message>
    <message>
        <source>Several units</source>
        <translation>多件</translation>
    </message>
    <message>
        <source>Location empty</source>
        <translation>库位空</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>破损</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>找不到</translation>
    </message>
    <message>
        <source>Backordered</source>
        <translation>缺货待发</translation>
    </message>
    <message>
        <source>Order held</source>
        <translation>订单已挂起</translation>
    </message>
    <message>
        <source>Line cancelled</source>
        <translation>订单行已取消</translation>
    </message>
    <message>
        <source>{m} m</source>
        <translation>{m} 米</translation>
    </message>
    <message>
        <source>Wave</source>
        <translation>波次</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>拣货方式</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>Batches</source>
        <translation>批次数</translation>
    </message>
    <message>
        <source>Planned walk</source>
        <translation>计划行走距离</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Tasks done</source>
        <translation>已完成任务</translation>
    </message>
    <message>
        <source>Picker</source>
        <translation>拣货员</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>库位</translation>
    </message>
    <message>
        <source>Short</source>
        <translation>缺货数</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>处理结果</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>件数</translation>
    </message>
    <message>
        <source>Placed</source>
        <translation>下单时间</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Cart name</source>
        <translation>拣货车名称</translation>
    </message>
    <message>
        <source>Tote slots</source>
        <translation>周转箱格位</translation>
    </message>
    <message>
        <source>Most orders</source>
        <translation>最多订单数</translation>
    </message>
    <message>
        <source>Most lines</source>
        <translation>最多行数</translation>
    </message>
    <message>
        <source>Most weight (g)</source>
        <translation>最大重量（克）</translation>
    </message>
    <message>
        <source>Most volume (cm³)</source>
        <translation>最大体积（cm³）</translation>
    </message>
    <message>
        <source>Rule name</source>
        <translation>规则名称</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>承运商</translation>
    </message>
    <message>
        <source>Cut-off</source>
        <translation>截单时间</translation>
    </message>
    <message>
        <source>Zone</source>
        <translation>库区</translation>
    </message>
    <message>
        <source>Cart</source>
        <translation>拣货车</translation>
    </message>
</context>
<context>
    <name>WavesScreen</name>
    <message>
        <source>Waves</source>
        <extracomment>the waves list was shown; the batches of the chosen wave; its route; exceptions an action finished (its message, and whether it worked)</extracomment>
        <translation>波次</translation>
    </message>
    <message>
        <source>Make waves...</source>
        <translation>生成波次...</translation>
    </message>
    <message>
        <source>Release wave</source>
        <translation>下发波次</translation>
    </message>
    <message>
        <source>Cancel wave</source>
        <translation>取消波次</translation>
    </message>
    <message>
        <source>Re-plan</source>
        <translation>重新规划</translation>
    </message>
    <message>
        <source>Split chosen batches off</source>
        <translation>拆出所选批次</translation>
    </message>
    <message>
        <source>Carts...</source>
        <translation>拣货车...</translation>
    </message>
    <message>
        <source>Wave rules...</source>
        <translation>波次规则...</translation>
    </message>
    <message>
        <source>Exceptions</source>
        <translation>异常</translation>
    </message>
    <message>
        <source>Assign to picker...</source>
        <translation>指派给拣货员...</translation>
    </message>
    <message>
        <source>Free batch</source>
        <translation>释放批次</translation>
    </message>
    <message>
        <source>Mark resolved</source>
        <translation>标记为已处理</translation>
    </message>
    <message>
        <source>Short picks with no stock elsewhere: the backorder policy has dealt with the order. Check the location, then mark the line resolved.</source>
        <translation>别处也无库存的短拣：缺货策略已处理该订单。请核查库位，然后标记为已处理。</translation>
    </message>
    <message>
        <source>Exceptions ({n})</source>
        <translation>异常（{n}）</translation>
    </message>
    <message>
        <source>{n} stops, {m} m walk</source>
        <translation>{n} 个停靠点，行走 {m} 米</translation>
    </message>
    <message>
        <source>(no layout yet: measured on the locations' own x and y)</source>
        <translation>（尚无仓库布局：按库位自身的 x、y 坐标计算）</translation>
    </message>
    <message>
        <source>Waves made: {numbers}</source>
        <translation>已生成波次：{numbers}</translation>
    </message>
    <message>
        <source>{wave} released: {tasks} pick tasks in {batches} batches.</source>
        <translation>{wave} 已下发：{batches} 个批次，{tasks} 个拣货任务。</translation>
    </message>
    <message>
        <source>Cancel wave {wave}? Its orders go back to allocated.</source>
        <translation>取消波次 {wave}？其中的订单将回到“已分配”。</translation>
    </message>
    <message>
        <source>{wave} cancelled; its orders wait for another wave.</source>
        <translation>{wave} 已取消；其中的订单等待加入其他波次。</translation>
    </message>
    <message>
        <source>{wave} re-planned: {orders} orders in {batches} batches.</source>
        <translation>{wave} 已重新规划：{orders} 个订单，{batches} 个批次。</translation>
    </message>
    <message>
        <source>Choose the batches to move to a new wave first.</source>
        <translation>请先选择要移到新波次的批次。</translation>
    </message>
    <message>
        <source>{orders} orders moved to the new wave {wave}.</source>
        <translation>{orders} 个订单已移到新波次 {wave}。</translation>
    </message>
    <message>
        <source>Assign batch</source>
        <translation>指派批次</translation>
    </message>
    <message>
        <source>User name of the picker for {batch} (empty: anyone):</source>
        <translation>{batch} 的拣货员用户名（留空：任何人）：</translation>
    </message>
    <message>
        <source>{batch} assigned.</source>
        <translation>{batch} 已指派。</translation>
    </message>
    <message>
        <source>{batch} is free: the next picker continues it.</source>
        <translation>{batch} 已释放：下一位拣货员将接着拣。</translation>
    </message>
    <message>
        <source>Exception of order {order} resolved.</source>
        <translation>订单 {order} 的异常已处理。</translation>
    </message>
</context>
<context>
    <name>WeightPanel</name>
    <message>
        <source>Scale</source>
        <translation>电子秤</translation>
    </message>
    <message>
        <source>No scale: type the weight (Weight… button).</source>
        <translation>没有电子秤：请输入重量（“输入重量”按钮）。</translation>
    </message>
    <message>
        <source>No scale at this station.</source>
        <translation>本工作站没有电子秤。</translation>
    </message>
    <message>
        <source>Stable</source>
        <translation>已稳定</translation>
    </message>
    <message>
        <source>Moving: keep the parcel still</source>
        <translation>不稳定：请让包裹保持静止</translation>
    </message>
    <message>
        <source>Expected {low} to {high}</source>
        <translation>应为 {low} 至 {high}</translation>
    </message>
    <message>
        <source>(learnt from {n} earlier parcels)</source>
        <translation>（根据之前 {n} 个包裹学习得出）</translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>挂起</translation>
    </message>
    <message>
        <source>Released</source>
        <translation>已放行</translation>
    </message>
    <message>
        <source>Allocated</source>
        <translation>已分配</translation>
    </message>
    <message>
        <source>Picking</source>
        <translation>拣货中</translation>
    </message>
    <message>
        <source>Picked</source>
        <translation>已拣货</translation>
    </message>
    <message>
        <source>Packing</source>
        <translation>打包中</translation>
    </message>
    <message>
        <source>Packed</source>
        <translation>已打包</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>已发货</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>已签收</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退货</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <source>Waiting for the printer</source>
        <translation>等待打印机</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>已打印</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Picker</source>
        <translation>拣货员</translation>
    </message>
    <message>
        <source>Packer</source>
        <translation>打包员</translation>
    </message>
    <message>
        <source>Shipper</source>
        <translation>发货员</translation>
    </message>
    <message>
        <source>Returns clerk</source>
        <translation>退货员</translation>
    </message>
</context>
</TS>